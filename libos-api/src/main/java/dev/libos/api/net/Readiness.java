package dev.libos.api.net;

/**
 * Readiness bits of a socket. The values equal {@code java.nio.channels.SelectionKey}'s
 * operation bits so that the NIO adapter maps them one to one.
 */
public final class Readiness {
    /** Bytes or a datagram can be read, or the peer closed its side (a read returns -1). */
    public static final int READ = 1;
    /** A write would accept at least one byte. */
    public static final int WRITE = 4;
    /** A connect has finished, successfully or not ({@link TcpSocket#finishConnect()} tells). */
    public static final int CONNECT = 8;
    /** A connection waits in the accept queue. */
    public static final int ACCEPT = 16;

    private Readiness() {
    }

    /** A readable form, e.g. {@code READ|WRITE}. */
    public static String toString(int ops) {
        StringBuilder b = new StringBuilder();
        append(b, ops, READ, "READ");
        append(b, ops, WRITE, "WRITE");
        append(b, ops, CONNECT, "CONNECT");
        append(b, ops, ACCEPT, "ACCEPT");
        return b.isEmpty() ? "0" : b.toString();
    }

    private static void append(StringBuilder b, int ops, int bit, String name) {
        if ((ops & bit) != 0) {
            b.append(b.isEmpty() ? "" : "|").append(name);
        }
    }
}
