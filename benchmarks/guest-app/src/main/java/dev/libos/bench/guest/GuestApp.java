package dev.libos.bench.guest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;

/**
 * What benchmarks/guest-suite boots: the examples' servers and two plain ones, each on its
 * thread, written against the JDK only so the same code runs on libos's stack and on Linux's.
 * <ul>
 *   <li>{@value #ECHO_PORT}: echo, every byte back as it arrives (tcp-rr: 1-byte ping-pong);</li>
 *   <li>{@value #SINK_PORT}: bulk sink, reads until the client half-closes, then answers the byte
 *       count as 8 bytes (bulk: client-to-guest throughput, checked by the count);</li>
 *   <li>8080: examples/http-netty ({@code example.httpnetty.HttpNetty}), for wrk;</li>
 *   <li>6379: examples/kv, for redis-benchmark, when it is on the class path.</li>
 * </ul>
 * Each prints its listening line; the suite waits for all of them.
 */
public final class GuestApp {
    static final int ECHO_PORT = 7777;
    static final int SINK_PORT = 7778;
    static final String[] EXAMPLE_MAINS = {"example.httpnetty.HttpNetty", "example.kv.Kv"};

    private GuestApp() {
    }

    public static void main(String[] args) throws Exception {
        for (String main : EXAMPLE_MAINS) {
            startExample(main);
        }
        Thread sink = serve(SINK_PORT, "sink", GuestApp::sink);
        serve(ECHO_PORT, "echo", GuestApp::echo);
        sink.join();
    }

    private static void startExample(String mainClass) {
        Class<?> type;
        try {
            type = Class.forName(mainClass);
        } catch (ClassNotFoundException e) {
            System.out.println("guest-app: " + mainClass + " not in this image, skipped");
            return;
        }
        Thread thread = new Thread(() -> {
            try {
                type.getMethod("main", String[].class).invoke(null, (Object) new String[0]);
            } catch (InvocationTargetException e) {
                System.out.println("guest-app: " + mainClass + " failed: " + e.getCause());
            } catch (ReflectiveOperationException e) {
                System.out.println("guest-app: " + mainClass + " has no main: " + e);
            }
        }, mainClass);
        thread.start();
    }

    interface Handler {
        void handle(Socket socket) throws IOException;
    }

    private static Thread serve(int port, String name, Handler handler) throws IOException {
        ServerSocket server = new ServerSocket(port);
        System.out.println("guest-app: " + name + " listening on " + server.getLocalSocketAddress());
        Thread acceptor = new Thread(() -> {
            while (true) {
                try {
                    Socket socket = server.accept();
                    Thread.ofPlatform().name(name + "-connection").start(() -> {
                        try (socket) {
                            socket.setTcpNoDelay(true);
                            handler.handle(socket);
                        } catch (IOException e) {
                            System.out.println("guest-app: " + name + " connection ended: " + e);
                        }
                    });
                } catch (IOException e) {
                    System.out.println("guest-app: " + name + " accept failed: " + e);
                    return;
                }
            }
        }, name + "-acceptor");
        acceptor.start();
        return acceptor;
    }

    private static void echo(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = in.read(buffer)) > 0; ) {
            out.write(buffer, 0, n);
        }
    }

    private static void sink(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[256 * 1024];
        long total = 0;
        for (int n; (n = in.read(buffer)) > 0; ) {
            total += n;
        }
        socket.getOutputStream().write(ByteBuffer.allocate(Long.BYTES).putLong(total).array());
    }
}
