package dev.libos.bench.report;

import static dev.libos.bench.report.ComparisonTest.m;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.libos.bench.report.Measurement.Mode;
import java.util.List;
import org.junit.jupiter.api.Test;

class PairingTest {

    static Measurement op(String operation, String impl, double score) {
        return new Measurement("sched", operation, impl, Mode.TIME_PER_OP, score, 1, "ns/op");
    }

    @Test
    void everyBaselineIsPairedWithTheLibosResultOfItsOperation() {
        Measurement libos = op("Wakeup.pingPong", "libos", 10);
        Measurement platform = op("Wakeup.pingPong", "platform-threads", 20);
        Measurement virtual = op("Wakeup.pingPong", "jdk-virtual-threads", 5);
        Measurement otherOp = op("Spawn.spawnJoin", "libos", 99);
        // Baselines come first in the file: pairing must not depend on order.
        List<Comparison> rows = Pairing.pair(List.of(platform, virtual, libos, otherOp));

        assertEquals(3, rows.size());
        assertEquals("platform-threads", rows.get(0).baselineName());
        assertSame(libos, rows.get(0).libos());
        assertSame(platform, rows.get(0).baseline());
        assertEquals("jdk-virtual-threads", rows.get(1).baselineName());
        assertSame(libos, rows.get(1).libos());
        assertEquals(0.5, rows.get(1).speedup(), 1e-12);
        assertEquals("Spawn.spawnJoin", rows.get(2).operation());
        assertNull(rows.get(2).baselineName(), "a libos result without baseline gets a blank baseline");
        assertNull(rows.get(2).baseline());
    }

    @Test
    void missingLibosResultLeavesABlankLibosSide() {
        List<Comparison> rows = Pairing.pair(List.of(op("Mutex.uncontended", "reentrant-lock", 20), op("Mutex.uncontended", "synchronized", 15)));
        assertEquals(2, rows.size());
        for (Comparison row : rows) {
            assertNull(row.libos());
            assertEquals(Double.NaN, row.speedup());
        }
        assertEquals(List.of("reentrant-lock", "synchronized"), rows.stream().map(Comparison::baselineName).toList());
    }

    @Test
    void sameOperationInAnotherSuiteIsNotPaired() {
        Measurement a = new Measurement("a", "X.y", "libos", Mode.TIME_PER_OP, 1, 1, "ns/op");
        Measurement b = new Measurement("b", "X.y", "rrwl", Mode.TIME_PER_OP, 1, 1, "ns/op");
        List<Comparison> rows = Pairing.pair(List.of(a, b));
        assertEquals(2, rows.size());
        assertNull(rows.get(0).baseline());
        assertNull(rows.get(1).libos());
    }

    @Test
    void resultWithoutImplIsShownAsANamedBaseline() {
        List<Comparison> rows = Pairing.pair(List.of(m(null, Mode.TIME_PER_OP, 1, "ns/op")));
        assertEquals(Pairing.NO_IMPL, rows.getFirst().baselineName());
    }
}
