package dev.libos.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.bench.report.Measurement.Mode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTableTest {

    @Test
    void rendersValuesErrorsBaselineNamesAndSpeedup() {
        Measurement libos = new Measurement("sched", "Wakeup.pingPong", "libos", Mode.TIME_PER_OP, 400, 12.0, "ns/op");
        Measurement base = new Measurement("sched", "Wakeup.pingPong", "platform-threads", Mode.TIME_PER_OP, 1000, Double.NaN, "ns/op");
        String table = ReportTable.render("sched", List.of(new Comparison("sched", "Wakeup.pingPong", "platform-threads", libos, base)));
        String[] lines = table.split("\n");
        assertEquals(4, lines.length, table);
        assertTrue(lines[0].startsWith("suite sched"), table);
        assertEquals(List.of("operation", "libos", "baseline", "unit", "speedup"),
                List.of(lines[1].split("\\s*\\|\\s*")).stream().map(String::strip).toList());
        assertTrue(lines[3].contains("400 ± 12"), table);
        assertTrue(lines[3].contains("platform-threads: 1000 |"), "no ± without an error: " + table);
        assertTrue(lines[3].endsWith("2.5x"), table);
    }

    @Test
    void missingSidesRenderBlankWithoutFailing() {
        Measurement base = new Measurement("sched", "Mutex.uncontended", "synchronized", Mode.TIME_PER_OP, 20, 1, "ns/op");
        String table = ReportTable.render("sched", List.of(
                new Comparison("sched", "Mutex.uncontended", "synchronized", null, base),
                new Comparison("sched", "Rcu.read", "rrwl", base, null)));
        assertTrue(table.contains("rrwl: (missing)"), table);
        assertTrue(table.contains("synchronized: 20 ± 1"), table);
        assertTrue(ReportTable.render("x", List.of()).contains("(no results)"));
    }

    @Test
    void numbersAreLocaleFreeAndBlankWhenUndefined() {
        assertEquals("0.0001235", Numbers.significant(0.00012346, 4));
        assertEquals("123457", Numbers.significant(123456.7, 4));
        assertEquals("12.35", Numbers.significant(12.345, 4));
        assertEquals("", Numbers.significant(Double.NaN, 4));
        assertEquals("", Numbers.speedup(Double.POSITIVE_INFINITY));
        assertEquals("0.000412x", Numbers.speedup(0.00041234), "a tiny speedup keeps its digits");
        assertEquals("835x", Numbers.speedup(834.95));
    }
}
