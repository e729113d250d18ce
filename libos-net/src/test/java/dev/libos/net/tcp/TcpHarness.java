package dev.libos.net.tcp;

import static dev.libos.net.wire.TcpFlags.ACK;
import static dev.libos.net.wire.TcpFlags.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.libos.net.wire.TcpHeader;
import dev.libos.net.wire.TcpOptions;
import dev.libos.net.wire.TcpRepr;
import dev.libos.net.wire.TcpTimestamps;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.List;

/** A connection under test with a recording output, and builders for the segments fed to it. */
final class TcpHarness implements TcpOutput {
    static final int LOCAL_PORT = 1000;
    static final int REMOTE_PORT = 2000;
    static final int ISS = 0x1000_0000;
    static final int IRS = 0x7000_0000;
    static final int MSS = 1000;

    record Sent(TcpRepr header, byte[] data) {
        int seq() {
            return header.sequenceNumber();
        }

        int ack() {
            return header.acknowledgementNumber();
        }

        int flags() {
            return header.flags();
        }
    }

    final ArrayDeque<Sent> sent = new ArrayDeque<>();
    final TcpConfig config;
    final ChallengeAckLimiter limiter;
    TcpConnection connection;
    long now;

    TcpHarness(TcpConfig config) {
        this.config = config;
        this.limiter = new ChallengeAckLimiter(config.challengeAcksPerSecond());
    }

    /** Plain settings: no options beyond MSS, 8 KiB receive buffer, NewReno, IW 10. */
    static TcpConfig.Builder plain() {
        return TcpConfig.builder().windowScaling(false).timestamps(false).sack(false).receiveBufferBytes(8192)
                .sendBufferBytes(64 * 1024).congestionControl(NewRenoCongestionControl::new);
    }

    @Override
    public void transmit(TcpHeader header, MemorySegment data, long dataOffset) {
        // The connection reuses its header for the next segment: kept as a record.
        sent.add(new Sent(header.toRepr(), data.asSlice(dataOffset, header.payloadLength())
                .toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)));
    }

    Sent next() {
        Sent s = sent.poll();
        assertNotNull(s, "expected a segment");
        return s;
    }

    void assertNothingSent() {
        assertNull(sent.peek(), "expected no segment");
    }

    static TcpRepr segment(int flags, int seq, int ack, int window, TcpOptions options, int length) {
        return new TcpRepr(REMOTE_PORT, LOCAL_PORT, seq, ack, flags, window, 0, options, length);
    }

    void feed(int flags, int seq, int ack, int window) {
        feed(flags, seq, ack, window, TcpOptions.NONE, new byte[0]);
    }

    void feed(int flags, int seq, int ack, int window, TcpOptions options, byte[] data) {
        connection.onSegment(segment(flags, seq, ack, window, options, data.length), MemorySegment.ofArray(data), 0, now);
    }

    void poll(long at) {
        now = at;
        connection.poll(at);
    }

    /** Active open completed: SYN sent at 0, SYN-ACK (window 65535, MSS 1000) at 10 ms; the ACK is consumed. */
    TcpConnection established() {
        return established(TcpOptions.NONE);
    }

    TcpConnection established(TcpOptions synAckExtras) {
        connection = TcpConnection.connect(config, this, limiter, LOCAL_PORT, REMOTE_PORT, ISS, MSS, 0);
        Sent syn = next();
        assertEquals(SYN, syn.flags());
        now = 10_000_000L;
        TcpOptions options = new TcpOptions(MSS, synAckExtras.windowScale(), synAckExtras.sackPermitted(), List.of(),
                synAckExtras.timestamps());
        feed(SYN | ACK, IRS, ISS + 1, 65535, options, new byte[0]);
        assertEquals(TcpState.ESTABLISHED, connection.state());
        Sent ack = next();
        assertEquals(ACK, ack.flags());
        assertEquals(IRS + 1, ack.ack());
        return connection;
    }

    static TcpOptions timestamps(int value, int echo) {
        return new TcpOptions(TcpOptions.ABSENT, TcpOptions.ABSENT, false, List.of(), new TcpTimestamps(value, echo));
    }

    static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed + i * 31);
        }
        return b;
    }
}
