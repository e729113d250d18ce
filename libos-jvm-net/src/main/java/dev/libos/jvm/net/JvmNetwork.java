package dev.libos.jvm.net;

import dev.libos.jvm.net.dns.LibosResolverProvider;
import dev.libos.jvm.net.socket.LibosDatagramSocketImplFactory;
import dev.libos.jvm.net.socket.LibosSocketImplFactory;
import dev.libos.net.nio.LibosSelectorProvider;
import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.spi.InetAddressResolverProvider;
import java.nio.channels.spi.SelectorProvider;
import java.util.Collections;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Makes the JVM's own networking APIs use the libos {@link dev.libos.api.net.SystemNetwork}: the
 * default {@link SelectorProvider}, the {@link Socket}, {@link ServerSocket} and
 * {@link DatagramSocket} implementation factories. Name resolution needs no step here: the JDK
 * finds {@link LibosResolverProvider} by {@link ServiceLoader} on its first lookup, and its
 * resolver follows the system network on every call.
 *
 * <p>All of these are JVM-wide and can be set once per JVM: {@link #install} is idempotent, and
 * what it installs routes every new socket to the system network installed when the socket is
 * opened (a socket stays on the network it was opened on).
 */
public final class JvmNetwork {
    /** The system property the JDK reads, once, on the first {@link SelectorProvider#provider()} call. */
    public static final String SELECTOR_PROVIDER_PROPERTY = "java.nio.channels.spi.SelectorProvider";

    private static boolean installed;

    private JvmNetwork() {
    }

    /**
     * Installs the provider and the factories, once per JVM.
     *
     * @param console where the outcome and any warning are printed
     * @return true when this call installed them, false when they were installed already
     * @throws IllegalStateException naming the cause when the JVM already fixed another
     *         {@link SelectorProvider} or another socket factory: NIO or java.net would then use
     *         the host's sockets, which in a VM reach nothing, so the boot must stop
     */
    public static synchronized boolean install(PrintStream console) {
        if (installed) {
            return false;
        }
        installSelectorProvider();
        installSocketFactories();
        installed = true;
        console.println("libos: jvm-net: NIO (SelectorProvider), java.net.Socket/ServerSocket/DatagramSocket"
                + " and name resolution use the libos network");
        warnIfAnotherResolverComesFirst(console);
        warnIfNoLoopbackInterface(console);
        return true;
    }

    /** Whether {@link #install} has run in this JVM. */
    public static synchronized boolean isInstalled() {
        return installed;
    }

    private static void installSelectorProvider() {
        String wanted = LibosSelectorProvider.class.getName();
        String set = System.getProperty(SELECTOR_PROVIDER_PROPERTY);
        if (set != null && !set.equals(wanted)) {
            throw new IllegalStateException("-D" + SELECTOR_PROVIDER_PROPERTY + "=" + set
                    + " is set: libos makes " + wanted + " the JVM's SelectorProvider itself; remove the option");
        }
        System.setProperty(SELECTOR_PROVIDER_PROPERTY, wanted);
        LibosSelectorProvider.install(SystemSockets.INSTANCE);
        // The JDK fixes the provider on the first call, from the property when it is set then.
        SelectorProvider provider = SelectorProvider.provider();
        if (!(provider instanceof LibosSelectorProvider libos) || libos.network() != SystemSockets.INSTANCE) {
            throw new IllegalStateException("the JVM's SelectorProvider was fixed before libos's network boot hook ran"
                    + " (it is " + provider + "): NIO (ServerSocketChannel.open, Selector.open, HttpServer, HttpClient,"
                    + " Netty's NioIoHandler) would use the host's sockets, not libos's. Something opened a channel,"
                    + " a selector or a pipe during boot; code that needs the host's sockets must open them from "
                    + PlatformSockets.class.getName() + ".provider()");
        }
    }

    @SuppressWarnings("deprecation") // the factories are deprecated since 17, the only way to replace the impls
    private static void installSocketFactories() {
        try {
            Socket.setSocketImplFactory(LibosSocketImplFactory.CLIENT);
            ServerSocket.setSocketFactory(LibosSocketImplFactory.SERVER);
            DatagramSocket.setDatagramSocketImplFactory(LibosDatagramSocketImplFactory.INSTANCE);
        } catch (IOException e) {
            throw new IllegalStateException("a java.net socket implementation factory (Socket.setSocketImplFactory,"
                    + " ServerSocket.setSocketFactory or DatagramSocket.setDatagramSocketImplFactory) was set before"
                    + " libos's network boot hook: " + e.getMessage(), e);
        }
    }

    /** The JDK uses the first resolver provider ServiceLoader finds. */
    private static void warnIfAnotherResolverComesFirst(PrintStream console) {
        Optional<InetAddressResolverProvider> first = ServiceLoader.load(InetAddressResolverProvider.class,
                ClassLoader.getSystemClassLoader()).findFirst();
        if (first.isEmpty() || !(first.get() instanceof LibosResolverProvider)) {
            console.println("libos: jvm-net: WARNING: the JDK's name resolver is "
                    + first.map(p -> p.getClass().getName()).orElse("its built-in one")
                    + ", not libos's: host names do not resolve through libos's hosts entries and DNS servers");
        }
    }

    /**
     * {@code java.net.NetworkInterface} lists the host OS's interfaces and cannot be replaced; libraries
     * that read it at start-up (Netty's {@code NetUtil}) log warnings when it has no loopback.
     */
    private static void warnIfNoLoopbackInterface(PrintStream console) {
        try {
            var interfaces = NetworkInterface.getNetworkInterfaces();
            for (NetworkInterface each : interfaces == null ? Collections.<NetworkInterface>emptyList()
                    : Collections.list(interfaces)) {
                if (each.isLoopback() && each.isUp()) {
                    return;
                }
            }
            console.println("libos: jvm-net: java.net.NetworkInterface lists no loopback interface that is up;"
                    + " libraries that read it (Netty's NetUtil) may log warnings");
        } catch (IOException e) {
            console.println("libos: jvm-net: java.net.NetworkInterface lists no interface (" + e.getMessage()
                    + "); libraries that read it (Netty's NetUtil) may log warnings");
        }
    }
}
