package dev.libos.net.nio;

import dev.libos.api.net.Network;
import dev.libos.net.local.LocalNetwork;
import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.AbstractSelector;
import java.nio.channels.spi.SelectorProvider;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link SelectorProvider} whose channels are libos sockets, so that unmodified NIO code runs
 * on a libos {@link Network}.
 *
 * <p>Which network. A provider made with {@link #LibosSelectorProvider(Network)} uses that
 * network. A provider made with the no-argument constructor (as the JDK does for
 * {@code -Djava.nio.channels.spi.SelectorProvider=dev.libos.net.nio.LibosSelectorProvider})
 * asks the registry each time it opens a channel: the network given to {@link #install}, or, when
 * none was installed, one process-wide {@link LocalNetwork} made on first use. Install the network
 * before the application opens channels; channels already open stay on the network they were
 * opened on.
 *
 * <p>Channels of two providers may not share a selector ({@link
 * java.nio.channels.IllegalSelectorException}), as with the JDK's own providers.
 */
public class LibosSelectorProvider extends SelectorProvider {
    private static final AtomicReference<Network> INSTALLED = new AtomicReference<>();

    private final Network fixed;

    /** A provider that follows the registry ({@link #install}, else a shared {@link LocalNetwork}). */
    public LibosSelectorProvider() {
        this.fixed = null;
    }

    /** A provider whose channels all live on {@code network}. */
    public LibosSelectorProvider(Network network) {
        this.fixed = Objects.requireNonNull(network, "network");
    }

    /**
     * Makes {@code network} the one that registry-following providers open channels on.
     *
     * @return the network installed before, or null
     */
    public static Network install(Network network) {
        return INSTALLED.getAndSet(Objects.requireNonNull(network, "network"));
    }

    /** The network registry-following providers use now: the installed one, or the shared default. */
    public static Network installedNetwork() {
        Network n = INSTALLED.get();
        if (n == null) {
            INSTALLED.compareAndSet(null, new LocalNetwork()); // first use: one default for all
            n = INSTALLED.get();
        }
        return n;
    }

    /** The network this provider opens its next channel on. */
    public Network network() {
        return fixed != null ? fixed : installedNetwork();
    }

    @Override
    public DatagramChannel openDatagramChannel() throws IOException {
        return new LibosDatagramChannel(this, network().openUdp());
    }

    @Override
    public DatagramChannel openDatagramChannel(ProtocolFamily family) throws IOException {
        checkInet(family);
        return openDatagramChannel();
    }

    @Override
    public Pipe openPipe() throws IOException {
        return LibosPipe.open(this);
    }

    @Override
    public AbstractSelector openSelector() {
        return new LibosSelector(this);
    }

    @Override
    public ServerSocketChannel openServerSocketChannel() throws IOException {
        return new LibosServerSocketChannel(this, network().openTcpServer());
    }

    @Override
    public ServerSocketChannel openServerSocketChannel(ProtocolFamily family) throws IOException {
        checkInet(family);
        return openServerSocketChannel();
    }

    @Override
    public SocketChannel openSocketChannel() throws IOException {
        return new LibosSocketChannel(this, network().openTcp(), false);
    }

    @Override
    public SocketChannel openSocketChannel(ProtocolFamily family) throws IOException {
        checkInet(family);
        return openSocketChannel();
    }

    private static void checkInet(ProtocolFamily family) {
        Objects.requireNonNull(family, "family");
        if (family != StandardProtocolFamily.INET && family != StandardProtocolFamily.INET6) {
            throw new UnsupportedOperationException("libos sockets are INET only, not " + family);
        }
    }

    @Override
    public String toString() {
        return "LibosSelectorProvider[" + (fixed != null ? fixed : "installed network") + "]";
    }
}
