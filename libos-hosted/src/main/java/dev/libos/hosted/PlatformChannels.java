package dev.libos.hosted;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.spi.SelectorProvider;

/**
 * The host's real sockets, for the hosted gateway's host side, whatever the JVM's default
 * {@link SelectorProvider} is: once libos is the default provider (so that unmodified NIO code
 * uses the libos stack), {@code ServerSocketChannel.open()} would put the gateway's own host
 * listener on the libos stack, where no host client can reach it.
 *
 * <p>The JDK's platform provider is {@code sun.nio.ch.DefaultSelectorProvider.get()}, reachable
 * with {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED} (an executable jar's manifest says
 * {@code Add-Exports: java.base/sun.nio.ch}). Without the export the default provider is used
 * when it is still the JDK's own; otherwise this fails, naming the export.
 */
public final class PlatformChannels {
    private static final String PLATFORM_PACKAGE = "sun.nio.ch.";

    private PlatformChannels() {
    }

    /** The JDK's own provider. */
    public static SelectorProvider provider() {
        try {
            Method get = Class.forName(PLATFORM_PACKAGE + "DefaultSelectorProvider").getMethod("get");
            return (SelectorProvider) get.invoke(null);
        } catch (ReflectiveOperationException | RuntimeException notExported) {
            SelectorProvider fallback = SelectorProvider.provider();
            if (fallback.getClass().getName().startsWith(PLATFORM_PACKAGE)) {
                return fallback;
            }
            throw new IllegalStateException("the hosted gateway needs the host's own sockets, but the default "
                    + "SelectorProvider is " + fallback.getClass().getName() + " and the JDK's is not reachable: run with "
                    + "--add-exports java.base/sun.nio.ch=ALL-UNNAMED (manifest: Add-Exports: java.base/sun.nio.ch)",
                    notExported);
        }
    }

    /** A host server socket channel, from the JDK's own provider. */
    public static ServerSocketChannel openServer() throws IOException {
        return provider().openServerSocketChannel();
    }
}
