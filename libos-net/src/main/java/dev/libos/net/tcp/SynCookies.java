package dev.libos.net.tcp;

import dev.libos.net.wire.TcpOptions;
import dev.libos.net.wire.TcpTimestamps;

/**
 * SYN cookies (RFC 4987 section 3.6): when a listener's SYN backlog is full, the SYN-ACK's
 * initial sequence number encodes what the connection needs, and no state is kept; the
 * handshake's final ACK (acknowledging ISS + 1) brings it back, and the connection is built
 * from it.
 *
 * <pre>
 *  31       27 26    24 23                                           0
 * +-----------+--------+----------------------------------------------+
 * | time slot |  MSS   |  MAC(secret, four-tuple, peer ISN, slot, MSS) |
 * |  (5 bits) | index  |                  (24 bits)                   |
 * +-----------+--------+----------------------------------------------+
 * </pre>
 *
 * The time slot counts 64-second periods (mod 32); a cookie is valid in its own slot and the
 * next, so for 64 to 128 seconds. The MSS the peer offered is rounded down to one of eight
 * common values. The cookie has no room for the window scale and SACK-permitted options, so, as
 * Linux does, they travel in the low six bits of the SYN-ACK's TSval when the peer offered
 * timestamps, and come back in the ACK's TSecr (bits 0-3: the peer's window shift, 15 for none;
 * bit 4: SACK permitted; bit 5: set when options are encoded). Without timestamps a cookie
 * connection has neither window scaling nor SACK. The option bits are not covered by the MAC: a
 * forger gains nothing by changing them that it could not get with an honest SYN.
 *
 * <p>The MAC is a keyed 64-bit mixing function, like the RFC 6528 ISN function next to it, not a
 * cryptographic PRF (see the module README); its secret comes from the stack's seeded random.
 */
final class SynCookies {
    /** MSS values a cookie can carry (RFC 4987 section 3.6 recommends a short table). */
    static final int[] MSS_TABLE = {536, 1200, 1220, 1300, 1380, 1440, 1460, 8960};
    static final long SLOT_NANOS = 64_000_000_000L;
    private static final int SLOT_BITS = 5;
    private static final int MAC_MASK = 0xFF_FFFF;
    private static final int OPTIONS_IN_TSVAL = 1 << 5;
    private static final int SACK_BIT = 1 << 4;
    private static final int NO_WINDOW_SCALE = 15;
    /** The low TSval bits that carry options. */
    static final int TSVAL_OPTION_MASK = 0x3F;

    private final long secret;

    SynCookies(long secret) {
        this.secret = secret;
    }

    /** The cookie (our ISS) for a SYN with sequence number {@code peerIsn} and MSS option {@code peerMss}. */
    int encode(FourTuple key, int peerIsn, int peerMss, long nowNanos) {
        int slot = slot(nowNanos);
        int mssIndex = mssIndex(peerMss);
        return slot << 27 | mssIndex << 24 | mac(key, peerIsn, slot, mssIndex);
    }

    /**
     * The MSS a valid cookie carries, or -1 when {@code cookie} was not made by {@link #encode}
     * for this four-tuple and peer ISN within the last two slots (forged, or stale).
     */
    int check(FourTuple key, int peerIsn, int cookie, long nowNanos) {
        int slot = cookie >>> 27;
        int age = Math.floorMod(slot(nowNanos) - slot, 1 << SLOT_BITS);
        if (age > 1) {
            return -1;
        }
        int mssIndex = cookie >>> 24 & 0x7;
        if ((cookie & MAC_MASK) != mac(key, peerIsn, slot, mssIndex)) {
            return -1;
        }
        return MSS_TABLE[mssIndex];
    }

    /** The low TSval bits of a cookie SYN-ACK that carry the peer's window shift and SACK-permitted. */
    static int tsvalOptionBits(TcpOptions synOptions, boolean windowScaling, boolean sack) {
        int shift = windowScaling && synOptions.windowScale() != TcpOptions.ABSENT
                ? Math.min(synOptions.windowScale(), TcpConnection.MAX_WINDOW_SHIFT) : NO_WINDOW_SCALE;
        return OPTIONS_IN_TSVAL | (sack && synOptions.sackPermitted() ? SACK_BIT : 0) | shift;
    }

    /**
     * The options of the SYN a cookie ACK stands for: the cookie's MSS, and, from the TSecr
     * bits, window scale and SACK-permitted; timestamps when the ACK carries them.
     */
    static TcpOptions synOptions(int mss, TcpTimestamps ackTimestamps) {
        if (ackTimestamps == null || (ackTimestamps.echoReply() & OPTIONS_IN_TSVAL) == 0) {
            return new TcpOptions(mss, TcpOptions.ABSENT, false, java.util.List.of(), null);
        }
        int bits = ackTimestamps.echoReply();
        int shift = bits & 0xF;
        return new TcpOptions(mss, shift == NO_WINDOW_SCALE ? TcpOptions.ABSENT : shift, (bits & SACK_BIT) != 0,
                java.util.List.of(), new TcpTimestamps(ackTimestamps.value(), 0));
    }

    private static int slot(long nowNanos) {
        return (int) Math.floorMod(nowNanos / SLOT_NANOS, 1L << SLOT_BITS);
    }

    private static int mssIndex(int peerMss) {
        int mss = peerMss == TcpOptions.ABSENT ? TcpConnection.DEFAULT_SEND_MSS : peerMss;
        for (int i = MSS_TABLE.length - 1; i > 0; i--) {
            if (MSS_TABLE[i] <= mss) {
                return i;
            }
        }
        return 0;
    }

    private int mac(FourTuple key, int peerIsn, int slot, int mssIndex) {
        long h = secret;
        h = TcpLayer.mix(h ^ key.localAddress());
        h = TcpLayer.mix(h ^ ((long) key.localPort() << 16 | key.remotePort()));
        h = TcpLayer.mix(h ^ key.remoteAddress());
        h = TcpLayer.mix(h ^ (Integer.toUnsignedLong(peerIsn) << 8 | slot << 3 | mssIndex));
        return (int) h & MAC_MASK;
    }
}
