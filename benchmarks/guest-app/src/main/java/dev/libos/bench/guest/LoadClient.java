package dev.libos.bench.guest;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The host side of the suite's tcp-rr and bulk operations (the other operations use wrk and
 * redis-benchmark). Prints one line {@code RESULT VALUE UNIT}.
 * <pre>
 * LoadClient rr HOST PORT SECONDS     1-byte request, 1-byte answer, one at a time on one connection: round trips/s
 * LoadClient bulk HOST PORT SECONDS   writes 64 KiB blocks for SECONDS, half-closes, reads the sink's count: MiB/s
 * </pre>
 * Exits 1 with a message when the guest answers wrongly (a different byte, a short count).
 */
public final class LoadClient {
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    private static final int READ_TIMEOUT_MILLIS = 60_000;

    private LoadClient() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            System.err.println("usage: LoadClient rr|bulk HOST PORT SECONDS");
            System.exit(2);
        }
        InetSocketAddress target = new InetSocketAddress(args[1], Integer.parseInt(args[2]));
        long nanos = Long.parseLong(args[3]) * 1_000_000_000L;
        try (Socket socket = new Socket()) {
            socket.connect(target, CONNECT_TIMEOUT_MILLIS);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            socket.setTcpNoDelay(true);
            switch (args[0]) {
                case "rr" -> roundTrips(socket, nanos);
                case "bulk" -> bulk(socket, nanos);
                default -> {
                    System.err.println("LoadClient: unknown operation " + args[0]);
                    System.exit(2);
                }
            }
        } catch (IllegalStateException e) {
            System.err.println("LoadClient: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void roundTrips(Socket socket, long nanos) throws IOException {
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        long start = System.nanoTime();
        long end = start + nanos;
        long count = 0;
        int value = 0;
        long now;
        do {
            value = (value + 1) & 0xff;
            out.write(value);
            int answer = in.read();
            if (answer != value) {
                throw new IllegalStateException("round trip " + count + ": sent " + value + ", got " + answer);
            }
            count++;
            now = System.nanoTime();
        } while (now < end);
        print("tcp-rr", count / ((now - start) / 1e9), "round-trips/s");
    }

    private static void bulk(Socket socket, long nanos) throws IOException {
        OutputStream out = socket.getOutputStream();
        byte[] block = new byte[64 * 1024];
        new SplittableRandom(1).nextBytes(block);
        long start = System.nanoTime();
        long end = start + nanos;
        long sent = 0;
        while (System.nanoTime() < end) {
            out.write(block);
            sent += block.length;
        }
        socket.shutdownOutput();
        long counted = new DataInputStream(socket.getInputStream()).readLong();
        long elapsed = System.nanoTime() - start;
        if (counted != sent) {
            throw new IllegalStateException("sent " + sent + " bytes, the guest counted " + counted);
        }
        print("bulk", sent / (1024.0 * 1024.0) / (elapsed / 1e9), "MiB/s");
    }

    private static void print(String operation, double value, String unit) {
        System.out.println(String.format(Locale.ROOT, "%s %.3f %s", operation, value, unit));
    }
}
