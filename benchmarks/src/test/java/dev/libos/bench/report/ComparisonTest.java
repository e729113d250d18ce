package dev.libos.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.bench.report.Measurement.Mode;
import org.junit.jupiter.api.Test;

class ComparisonTest {

    static Measurement m(String impl, Mode mode, double score, String unit) {
        return new Measurement("sched", "Op.run", impl, mode, score, 1.0, unit);
    }

    @Test
    void timePerOpSpeedupIsBaselineOverLibos() {
        // libos takes 100 ns, the baseline 300 ns: libos is 3x faster.
        Comparison row = new Comparison("sched", "Op.run", "platform-threads",
                m("libos", Mode.TIME_PER_OP, 100, "ns/op"), m("platform-threads", Mode.TIME_PER_OP, 300, "ns/op"));
        assertEquals(3.0, row.speedup(), 1e-12);
    }

    @Test
    void throughputSpeedupIsLibosOverBaseline() {
        // libos does 50 ops/us, the baseline 200: libos is 4x slower.
        Comparison row = new Comparison("sched", "Op.run", "rrwl",
                m("libos", Mode.THROUGHPUT, 50, "ops/us"), m("rrwl", Mode.THROUGHPUT, 200, "ops/us"));
        assertEquals(0.25, row.speedup(), 1e-12);
    }

    @Test
    void noSpeedupAcrossModesOrUnitsOrWithAMissingSide() {
        Measurement libos = m("libos", Mode.TIME_PER_OP, 100, "ns/op");
        assertTrue(Double.isNaN(new Comparison("s", "o", "b", libos, m("b", Mode.TIME_PER_OP, 1, "us/op")).speedup()));
        assertTrue(Double.isNaN(new Comparison("s", "o", "b", libos, m("b", Mode.THROUGHPUT, 1, "ns/op")).speedup()));
        assertTrue(Double.isNaN(new Comparison("s", "o", "b", libos, null).speedup()));
        assertTrue(Double.isNaN(new Comparison("s", "o", "b", null, libos).speedup()));
        assertEquals("ns/op", new Comparison("s", "o", "b", null, libos).unit(), "unit falls back to the baseline's");
    }
}
