package dev.libos.examples.echo;

import dev.libos.api.LibOS;
import dev.libos.api.net.BlockingSockets;
import dev.libos.api.net.Network;
import dev.libos.api.net.TcpServerSocket;
import dev.libos.api.net.TcpSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/** Echoes every byte back; each connection on its own libos thread. */
final class EchoServer implements AutoCloseable {
    private final LibOS os;
    private final TcpServerSocket listener;
    private final Thread acceptor;
    private final AtomicLong connections = new AtomicLong();
    private final Runnable afterEachConnection;

    private EchoServer(LibOS os, TcpServerSocket listener, Runnable afterEachConnection) {
        this.os = os;
        this.listener = listener;
        this.afterEachConnection = afterEachConnection;
        this.acceptor = os.threads().start("echo-accept", this::acceptLoop);
    }

    static EchoServer start(LibOS os, Network network, int port) throws IOException {
        return start(os, network, port, () -> { });
    }

    /** Like {@link #start(LibOS, Network, int)}; {@code afterEachConnection} runs when a connection ends. */
    static EchoServer start(LibOS os, Network network, int port, Runnable afterEachConnection) throws IOException {
        TcpServerSocket listener = network.openTcpServer();
        listener.bind(new InetSocketAddress(port), 128);
        return new EchoServer(os, listener, afterEachConnection);
    }

    InetSocketAddress address() {
        return listener.localAddress();
    }

    long connections() {
        return connections.get();
    }

    /** Waits until the server stops (it runs until closed or the process ends). */
    void join() throws InterruptedException {
        acceptor.join();
    }

    private void acceptLoop() {
        while (listener.isOpen()) {
            try {
                TcpSocket connection = BlockingSockets.accept(listener, 0);
                connections.incrementAndGet();
                os.threads().start("echo-" + connection.remoteAddress(), () -> {
                    echo(connection);
                    afterEachConnection.run();
                });
            } catch (IOException e) {
                if (listener.isOpen()) {
                    System.err.println("echo: accept failed: " + e);
                }
                return;
            }
        }
    }

    private static void echo(TcpSocket connection) {
        ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
        try (connection) {
            while (BlockingSockets.read(connection, buffer.clear(), 0) >= 0) {
                BlockingSockets.writeFully(connection, buffer.flip(), 0);
            }
            connection.shutdownOutput();
        } catch (IOException e) {
            // the client went away: nothing to echo to
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
