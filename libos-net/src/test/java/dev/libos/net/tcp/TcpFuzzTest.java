package dev.libos.net.tcp;

import static dev.libos.net.tcp.TcpHarness.IRS;
import static dev.libos.net.tcp.TcpHarness.ISS;
import static dev.libos.net.wire.TcpFlags.ACK;
import static dev.libos.net.wire.TcpFlags.FIN;
import static dev.libos.net.wire.TcpFlags.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.net.wire.SackBlock;
import dev.libos.net.wire.TcpOptions;
import dev.libos.net.wire.TcpRepr;
import dev.libos.net.wire.TcpTimestamps;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Random and near-valid segments fed to connections in every state: no exception escapes and
 * the sequence invariants hold after every segment and every poll.
 */
@Timeout(120)
class TcpFuzzTest {
    private static final long MS = 1_000_000L;

    private static TcpHarness harness(TcpState target) {
        TcpHarness h = new TcpHarness(TcpHarness.plain().sack(true).timestamps(true).windowScaling(true)
                .receiveBufferBytes(1 << 17).maxOutOfOrderRanges(4).build());
        if (target == TcpState.SYN_SENT) {
            h.connection = TcpConnection.connect(h.config, h, h.limiter, 1000, 2000, ISS, 1000, 0);
            return h;
        }
        if (target == TcpState.SYN_RECEIVED) {
            TcpRepr syn = TcpHarness.segment(SYN, IRS, 0, 4000, new TcpOptions(1000, 3, true, List.of(),
                    new TcpTimestamps(5, 0)), 0);
            h.connection = TcpConnection.accept(h.config, h, h.limiter, ISS, 1000, syn, 0);
            return h;
        }
        TcpConnection c = h.established(new TcpOptions(1000, 3, true, List.of(), new TcpTimestamps(5, 0)));
        c.send(MemorySegment.ofArray(new byte[5000]));
        h.poll(h.now);
        TcpOptions ts = TcpHarness.timestamps(6, 0);
        switch (target) {
            case FIN_WAIT_1 -> c.shutdownOutput();
            case FIN_WAIT_2 -> {
                c.shutdownOutput();
                h.poll(h.now);
                h.feed(ACK, IRS + 1, ISS + 5002, 1000, ts, new byte[0]);
            }
            case CLOSE_WAIT -> h.feed(ACK | FIN, IRS + 1, ISS + 1, 1000, ts, new byte[0]);
            case LAST_ACK -> {
                h.feed(ACK | FIN, IRS + 1, ISS + 1, 1000, ts, new byte[0]);
                c.shutdownOutput();
            }
            case CLOSING -> {
                c.shutdownOutput();
                h.poll(h.now);
                h.feed(ACK | FIN, IRS + 1, ISS + 1, 1000, ts, new byte[0]);
            }
            case TIME_WAIT -> {
                c.shutdownOutput();
                h.poll(h.now);
                h.feed(ACK | FIN, IRS + 1, ISS + 5002, 1000, ts, new byte[0]);
            }
            default -> {
            }
        }
        h.poll(h.now);
        assertEquals(target, c.state(), "setup");
        return h;
    }

    private static int near(SplittableRandom r, int base) {
        return switch (r.nextInt(4)) {
            case 0 -> base;
            case 1 -> base + r.nextInt(-3000, 3000);
            case 2 -> base + r.nextInt(-200_000, 200_000);
            default -> r.nextInt();
        };
    }

    private static TcpOptions options(SplittableRandom r, TcpConnection c) {
        if (r.nextInt(3) == 0) {
            return TcpOptions.NONE;
        }
        TcpTimestamps ts = r.nextBoolean() ? new TcpTimestamps(r.nextBoolean() ? r.nextInt() : 6 + r.nextInt(1000),
                r.nextInt()) : null;
        List<SackBlock> blocks = new ArrayList<>();
        int n = r.nextInt(ts == null ? 5 : 4);
        for (int i = 0; i < n; i++) {
            int left = near(r, c.sndUna());
            blocks.add(new SackBlock(left, left + r.nextInt(-100, 5000)));
        }
        int mss = r.nextInt(8) == 0 ? r.nextInt(65536) : TcpOptions.ABSENT;
        int ws = r.nextInt(8) == 0 ? r.nextInt(256) : TcpOptions.ABSENT;
        if (mss != TcpOptions.ABSENT || ws != TcpOptions.ABSENT) {
            blocks = blocks.subList(0, Math.min(blocks.size(), 2));
        }
        return new TcpOptions(mss, ws, r.nextInt(8) == 0, blocks, ts);
    }

    @Test
    void randomSegmentsInEveryState() {
        String p = System.getProperty("libos.net.test.seed");
        long seed = p != null ? Long.parseLong(p) : System.nanoTime();
        int segments = Integer.getInteger("libos.net.tcp.fuzz.segments", 200_000);
        System.out.println("TcpFuzzTest: seed " + seed + " (re-run with -Dlibos.net.test.seed=" + seed + "), "
                + segments + " segments");
        SplittableRandom r = new SplittableRandom(seed);
        TcpState[] states = {TcpState.SYN_SENT, TcpState.SYN_RECEIVED, TcpState.ESTABLISHED, TcpState.FIN_WAIT_1,
            TcpState.FIN_WAIT_2, TcpState.CLOSE_WAIT, TcpState.CLOSING, TcpState.LAST_ACK, TcpState.TIME_WAIT};
        Map<TcpState, Integer> fedPerState = new EnumMap<>(TcpState.class);
        byte[] payloadBytes = new byte[3000];
        MemorySegment readBuffer = MemorySegment.ofArray(new byte[4096]);
        int perConnection = 200;
        for (int done = 0; done < segments; ) {
            TcpState target = states[r.nextInt(states.length)];
            TcpHarness h = harness(target);
            TcpConnection c = h.connection;
            for (int i = 0; i < perConnection && done < segments; i++, done++) {
                fedPerState.merge(c.state(), 1, Integer::sum);
                int flags = r.nextInt(4) == 0 ? r.nextInt(256) : (ACK | (r.nextInt(6) == 0 ? FIN : 0));
                int length = r.nextInt(3) == 0 ? 0 : r.nextInt(payloadBytes.length);
                TcpRepr seg;
                try {
                    seg = TcpHarness.segment(flags, near(r, c.rcvNxt()), near(r, c.sndUna()), r.nextInt(65536),
                            options(r, c), length);
                } catch (IllegalArgumentException tooManyOptions) {
                    continue;
                }
                h.now += r.nextInt(4) == 0 ? r.nextLong(3000 * MS) : r.nextLong(MS);
                c.onSegment(seg, MemorySegment.ofArray(payloadBytes), 0, h.now);
                assertNull(c.checkInvariants(), () -> "after " + seg + ": " + c);
                if (r.nextInt(4) == 0) {
                    long next = c.nextDeadlineNanos();
                    h.poll(next == TcpConnection.NO_DEADLINE || next < h.now ? h.now : next);
                    assertNull(c.checkInvariants(), () -> "after poll: " + c);
                }
                if (r.nextInt(8) == 0) {
                    c.receive(readBuffer);
                    c.send(MemorySegment.ofArray(payloadBytes).asSlice(0, r.nextInt(2000)));
                }
                h.sent.clear();
                if (c.state() == TcpState.CLOSED) {
                    assertTrue(c.nextDeadlineNanos() == TcpConnection.NO_DEADLINE);
                    break;
                }
            }
        }
        System.out.println("  segments fed per state: " + fedPerState);
        for (TcpState s : states) {
            assertTrue(fedPerState.getOrDefault(s, 0) > 0, "state reached: " + s);
        }
    }
}
