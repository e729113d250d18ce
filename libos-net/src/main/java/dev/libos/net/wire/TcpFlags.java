package dev.libos.net.wire;

/** TCP control bits (RFC 9293 section 3.1; ECE and CWR from RFC 3168 section 6.1). */
public final class TcpFlags {
    /** No more data from sender. */
    public static final int FIN = 0x01;
    /** Synchronize sequence numbers. */
    public static final int SYN = 0x02;
    /** Reset the connection. */
    public static final int RST = 0x04;
    /** Push function. */
    public static final int PSH = 0x08;
    /** Acknowledgment field is significant. */
    public static final int ACK = 0x10;
    /** Urgent pointer field is significant. */
    public static final int URG = 0x20;
    /** ECN-Echo. */
    public static final int ECE = 0x40;
    /** Congestion window reduced. */
    public static final int CWR = 0x80;

    private static final String NAMES = "FSRPAUEC";

    private TcpFlags() {
    }

    /** The set bits as letters, FIN first: {@code "SA"} for SYN|ACK, {@code "-"} for none. */
    public static String toString(int flags) {
        StringBuilder sb = new StringBuilder(8);
        for (int bit = 0; bit < 8; bit++) {
            if ((flags & (1 << bit)) != 0) {
                sb.append(NAMES.charAt(bit));
            }
        }
        return sb.isEmpty() ? "-" : sb.toString();
    }
}
