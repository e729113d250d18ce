package dev.libos.jvm.net;

import java.nio.channels.spi.SelectorProvider;

/**
 * The host's own sockets, for the few places that must stay on the host OS once libos is the
 * JVM's default {@link SelectorProvider}: the host side of the hosted port-forwarding gateway.
 * Open those channels from {@link #provider()} ({@code PlatformSockets.provider().openServerSocketChannel()}),
 * never from {@code ServerSocketChannel.open()}, which gives libos's.
 *
 * <p>The JDK's platform provider is {@code sun.nio.ch.DefaultSelectorProvider.get()}, in a
 * package {@code java.base} does not export: the JVM needs
 * {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED}, which an executable jar carries as the
 * manifest attribute {@code Add-Exports: java.base/sun.nio.ch} (the examples' poms set it next to
 * {@code Add-Opens}) and a VM image's kernel command line carries from the image plugin.
 */
public final class PlatformSockets {
    /** The option the JVM needs, as a message names it. */
    public static final String REQUIRED_OPTION = "--add-exports java.base/sun.nio.ch=ALL-UNNAMED";

    private PlatformSockets() {
    }

    /**
     * The host's {@link SelectorProvider}, whatever {@link SelectorProvider#provider()} is.
     *
     * @throws IllegalStateException naming {@link #REQUIRED_OPTION} when {@code sun.nio.ch} is not exported
     */
    public static SelectorProvider provider() {
        SelectorProvider provider = loaded;
        if (provider == null) {
            provider = load();
            loaded = provider; // the JDK's provider is a singleton: a race loads the same one twice
        }
        return provider;
    }

    /** Whether {@link #provider()} works in this JVM. */
    public static boolean available() {
        try {
            provider();
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private static volatile SelectorProvider loaded;

    private static SelectorProvider load() {
        Module base = Object.class.getModule();
        if (!base.isExported("sun.nio.ch", PlatformSockets.class.getModule())) {
            throw new IllegalStateException("the host's SelectorProvider (sun.nio.ch.DefaultSelectorProvider) needs "
                    + REQUIRED_OPTION + " (in a jar's manifest: Add-Exports: java.base/sun.nio.ch)");
        }
        try {
            Class<?> type = Class.forName("sun.nio.ch.DefaultSelectorProvider");
            return (SelectorProvider) type.getMethod("get").invoke(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("the host's SelectorProvider cannot be loaded: " + e, e);
        }
    }
}
