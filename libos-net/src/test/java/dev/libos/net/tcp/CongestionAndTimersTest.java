package dev.libos.net.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.net.wire.SackBlock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RTO arithmetic (RFC 6298), CUBIC (RFC 9438) and NewReno window rules, the SACK scoreboard, sequence arithmetic. */
class CongestionAndTimersTest {
    private static final long MS = 1_000_000L;

    @Test
    void rtoFollowsRfc6298() {
        RttEstimator r = new RttEstimator(1000 * MS, 200 * MS, 60_000 * MS);
        assertEquals(1000 * MS, r.rtoNanos(), "initial RTO 1 s");
        r.sample(100 * MS);
        assertEquals(100 * MS, r.smoothedRttNanos());
        assertEquals(50 * MS, r.rttVariationNanos());
        assertEquals(300 * MS, r.rtoNanos(), "SRTT + 4 RTTVAR");
        r.sample(200 * MS);
        // RTTVAR = 3/4 * 50 + 1/4 * |100 - 200| = 62.5; SRTT = 7/8 * 100 + 1/8 * 200 = 112.5
        assertEquals(62_500_000L, r.rttVariationNanos());
        assertEquals(112_500_000L, r.smoothedRttNanos());
        assertEquals(362_500_000L, r.rtoNanos());
        r.backOff();
        assertEquals(725 * MS, r.rtoNanos());
        for (int i = 0; i < 20; i++) {
            r.backOff();
        }
        assertEquals(60_000 * MS, r.rtoNanos(), "capped at the maximum");
        r.sample(1 * MS);
        assertTrue(r.rtoNanos() >= 200 * MS, "bounded below by the minimum");
    }

    @Test
    void newRenoSlowStartAndAvoidance() {
        NewRenoCongestionControl cc = new NewRenoCongestionControl();
        cc.init(1000, 10_000, 0);
        cc.onAck(1000, 10_000, 0, 0);
        assertEquals(11_000, cc.congestionWindow());
        cc.onCongestionEvent(20_000, 0);
        assertEquals(10_000, cc.slowStartThreshold());
        assertEquals(10_000, cc.congestionWindow());
        for (int i = 0; i < 10; i++) {
            cc.onAck(1000, 10_000, 0, 0);
        }
        assertEquals(11_000, cc.congestionWindow(), "one SMSS per window acknowledged");
        cc.onRetransmitTimeout(3000, 0);
        assertEquals(2000, cc.slowStartThreshold());
        assertEquals(1000, cc.congestionWindow());
    }

    @Test
    void cubicFollowsTheCubicFunction() {
        int mss = 1000;
        CubicCongestionControl cc = new CubicCongestionControl();
        cc.init(mss, 10L * mss, 0);
        cc.setCongestionWindow(100L * mss);
        cc.onCongestionEvent(100L * mss, 0);
        assertEquals(70L * mss, cc.slowStartThreshold(), "beta 0.7");
        assertEquals(70L * mss, cc.congestionWindow());
        assertEquals(100.0, cc.windowMaxSegments(), 1e-9);
        long rtt = 100 * MS;
        long now = 0;
        // One ACK per segment, a window per RTT, for 10 s.
        long epochStart = -1;
        while (now < 10_000 * MS) {
            long cwnd = cc.congestionWindow();
            int acks = (int) (cwnd / mss);
            for (int i = 0; i < acks; i++) {
                long at = now + rtt * i / acks;
                if (epochStart < 0) {
                    epochStart = at;
                }
                cc.onAck(mss, cwnd, rtt, at);
            }
            now += rtt;
            double t = (now - epochStart) / 1e9;
            double expected = cc.cubicWindowSegments(t);
            double actual = (double) cc.congestionWindow() / mss;
            // K = cbrt(100 * 0.3 / 0.4) = 4.217 s; the window tracks W_cubic (growth per ACK aims at
            // W_cubic(t + RTT), so it runs slightly ahead) within 5%.
            assertEquals(expected, actual, Math.max(2.0, expected * 0.05), "at t=" + t);
        }
        assertEquals(Math.cbrt(100 * 0.3 / 0.4), cc.kSeconds(), 1e-9);
        assertTrue(cc.congestionWindow() > 100L * mss, "past K the window exceeds W_max");
    }

    @Test
    void cubicFastConvergenceAndTimeout() {
        int mss = 1000;
        CubicCongestionControl cc = new CubicCongestionControl();
        cc.init(mss, 10L * mss, 0);
        cc.setCongestionWindow(100L * mss);
        cc.onCongestionEvent(0, 0);
        cc.onCongestionEvent(0, 0);
        // Second loss below W_max: W_max = 70 * (1 + 0.7) / 2 = 59.5.
        assertEquals(59.5, cc.windowMaxSegments(), 1e-9);
        cc.onRetransmitTimeout(0, 0);
        assertEquals(mss, cc.congestionWindow());
    }

    @Test
    void scoreboardMergesAdvancesAndSkips() {
        SackScoreboard s = new SackScoreboard();
        int una = -50; // across the wrap of the 32-bit space
        assertTrue(s.update(List.of(new SackBlock(una + 100, una + 200), new SackBlock(una + 300, una + 400)), una,
                una + 1000));
        assertFalse(s.update(List.of(new SackBlock(una + 120, una + 180)), una, una + 1000), "nothing new");
        assertFalse(s.update(List.of(new SackBlock(una + 900, una + 2000)), una, una + 1000), "beyond SND.MAX ignored");
        assertTrue(s.update(List.of(new SackBlock(una + 200, una + 300)), una, una + 1000));
        assertEquals(1, s.rangeCount(), "adjacent blocks merge");
        assertEquals(300, s.sackedBytes());
        assertEquals(una + 400, s.skipSacked(una + 150));
        assertEquals(una + 50, s.skipSacked(una + 50));
        assertEquals(una + 100, s.nextSackedStart(una + 10, una + 1000));
        s.advance(una + 250);
        assertEquals(150, s.sackedBytes());
        assertEquals(una + 400, s.highestSacked(una));
        s.advance(una + 400);
        assertTrue(s.isEmpty());
    }

    @Test
    void sequenceArithmeticWraps() {
        assertTrue(Seq.lt(0xFFFF_FFF0, 0x10));
        assertTrue(Seq.gt(0x10, 0xFFFF_FFF0));
        assertEquals(0x10, Seq.max(0xFFFF_FFF0, 0x10));
        assertTrue(Seq.inWindow(5, -5, 11));
        assertFalse(Seq.inWindow(6, -5, 11));
        assertFalse(Seq.inWindow(-6, -5, 11));
    }
}
