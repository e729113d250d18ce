package dev.libos.jvm.net.socket;

import dev.libos.jvm.net.SystemSockets;
import java.net.DatagramSocketImpl;
import java.net.DatagramSocketImplFactory;

/** The factory given to {@code DatagramSocket.setDatagramSocketImplFactory}. */
public final class LibosDatagramSocketImplFactory implements DatagramSocketImplFactory {
    /** The one instance. */
    public static final LibosDatagramSocketImplFactory INSTANCE = new LibosDatagramSocketImplFactory();

    private LibosDatagramSocketImplFactory() {
    }

    @Override
    public DatagramSocketImpl createDatagramSocketImpl() {
        return new LibosDatagramSocketImpl(SystemSockets.INSTANCE);
    }
}
