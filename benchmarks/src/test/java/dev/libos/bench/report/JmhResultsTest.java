package dev.libos.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JmhResultsTest {

    /** One JMH result entry as JMH 1.37 writes it (abridged: no percentiles, no raw data). */
    static String entry(String benchmark, String mode, String params, String score, String error, String unit) {
        return """
                {
                    "jmhVersion" : "1.37",
                    "benchmark" : "%s",
                    "mode" : "%s",
                    "threads" : 1,
                    "forks" : 1,
                    %s
                    "primaryMetric" : {
                        "score" : %s,
                        "scoreError" : %s,
                        "scoreConfidence" : [ 1.0, 2.0 ],
                        "scoreUnit" : "%s"
                    },
                    "secondaryMetrics" : {
                    }
                }""".formatted(benchmark, mode, params.isEmpty() ? "" : "\"params\" : {" + params + "},", score, error, unit);
    }

    @Test
    void readsSuiteOperationImplAndScore() {
        String json = "[" + entry("dev.libos.bench.sched.WakeupBenchmark.pingPong", "avgt",
                "\"impl\" : \"platform-threads\"", "812.5", "40.25", "ns/op") + "]";
        Measurement m = JmhResults.parse(json).getFirst();
        assertEquals(new Measurement("sched", "Wakeup.pingPong", "platform-threads", Measurement.Mode.TIME_PER_OP,
                812.5, 40.25, "ns/op"), m);
    }

    @Test
    void keepsOtherParamsInTheOperationNameSortedByKey() {
        String json = "[" + entry("dev.libos.bench.net.EchoBenchmark.roundTrip", "thrpt",
                "\"size\" : \"64\", \"impl\" : \"libos\", \"conns\" : \"8\"", "3.0", "\"NaN\"", "ops/us") + "]";
        Measurement m = JmhResults.parse(json).getFirst();
        assertEquals("net", m.suite());
        assertEquals("Echo.roundTrip[conns=8,size=64]", m.operation());
        assertEquals("libos", m.impl());
        assertEquals(Measurement.Mode.THROUGHPUT, m.mode());
        assertTrue(Double.isNaN(m.error()), "JMH's \"NaN\" error string is an undefined error");
    }

    @Test
    void loadedRowsCarryTheMarkLastAndQuietRowsNone() {
        String benchmark = "dev.libos.bench.net.TcpRequestResponseBenchmark.roundTrip";
        assertEquals("TcpRequestResponse.roundTrip[size=1,loaded]",
                JmhResults.operationOf(benchmark, Map.of("size", "1", "load", "loaded")));
        assertEquals("TcpRequestResponse.roundTrip[size=1]",
                JmhResults.operationOf(benchmark, Map.of("size", "1", "load", "quiet")));
        assertEquals("Wakeup.pingPong[loaded]",
                JmhResults.operationOf("dev.libos.bench.sched.WakeupBenchmark.pingPong", Map.of("load", "loaded")));
        assertEquals("Wakeup.pingPong",
                JmhResults.operationOf("dev.libos.bench.sched.WakeupBenchmark.pingPong", Map.of("load", "quiet")));
        assertEquals("Wakeup.pingPong[load=half]",
                JmhResults.operationOf("dev.libos.bench.sched.WakeupBenchmark.pingPong", Map.of("load", "half")),
                "an unknown load value is shown as it is, not dropped");
    }

    @Test
    void loadedAndQuietResultsPairOnlyWithTheirOwnKind() {
        String benchmark = "dev.libos.bench.net.TcpRequestResponseBenchmark.roundTrip";
        // File order as JMH writes it (params sorted: impl, then load, then size) is not what pairing relies on.
        String json = "[" + String.join(",",
                entry(benchmark, "avgt", "\"impl\" : \"libos\", \"load\" : \"loaded\", \"size\" : \"1\"", "30.0", "1", "us/op"),
                entry(benchmark, "avgt", "\"impl\" : \"libos\", \"load\" : \"quiet\", \"size\" : \"1\"", "4.0", "1", "us/op"),
                entry(benchmark, "avgt", "\"impl\" : \"linux-loopback\", \"load\" : \"loaded\", \"size\" : \"1\"", "15.0", "1", "us/op"),
                entry(benchmark, "avgt", "\"impl\" : \"linux-loopback\", \"load\" : \"quiet\", \"size\" : \"1\"", "64.0", "1", "us/op"))
                + "]";
        List<Comparison> rows = Pairing.pair(JmhResults.parse(json));
        assertEquals(2, rows.size());
        Comparison loaded = rows.get(0);
        assertEquals("TcpRequestResponse.roundTrip[size=1,loaded]", loaded.operation());
        assertEquals(30.0, loaded.libos().score());
        assertEquals(15.0, loaded.baseline().score());
        assertEquals(0.5, loaded.speedup(), 1e-12);
        Comparison quiet = rows.get(1);
        assertEquals("TcpRequestResponse.roundTrip[size=1]", quiet.operation());
        assertEquals(4.0, quiet.libos().score());
        assertEquals(64.0, quiet.baseline().score());
        assertEquals(16.0, quiet.speedup(), 1e-12);
    }

    @Test
    void benchmarkWithoutParamsHasNoImpl() {
        String json = "[" + entry("dev.libos.bench.sched.Plain.run", "ss", "", "1", "2", "ms/op") + "]";
        Measurement m = JmhResults.parse(json).getFirst();
        assertNull(m.impl());
        assertEquals("Plain.run", m.operation());
    }

    @Test
    void rejectsWhatIsNotAResultArray() {
        assertThrows(IllegalArgumentException.class, () -> JmhResults.parse("{}"));
        assertThrows(IllegalArgumentException.class, () -> JmhResults.parse("[{\"benchmark\":\"a.b\"}]"));
        assertThrows(IllegalArgumentException.class, () -> JmhResults.parse("[" + entry("a.B.c", "weird", "", "1", "1", "x") + "]"));
    }

    @Test
    void bareNonFiniteScoresAreRead() {
        String json = "[" + entry("dev.libos.bench.sched.A.b", "avgt", "", "NaN", "Infinity", "ns/op") + "]";
        Measurement m = JmhResults.parse(json).getFirst();
        assertTrue(Double.isNaN(m.score()));
        assertEquals(Double.POSITIVE_INFINITY, m.error());
    }

    @Test
    void malformedJsonIsAnIllegalArgumentNamingTheProblem() {
        for (String bad : List.of("", "[1,", "[{\"a\" 1}]", "[] x", "\"open", "[{1:2}]", "tru")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JmhResults.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("JMH result") || e.getMessage().contains("array"), e.getMessage());
        }
    }

    @Test
    void operationNameHelpers() {
        assertEquals("sched", JmhResults.suiteOf("dev.libos.bench.sched.A.b"));
        assertEquals("Wakeup.pingPong", JmhResults.operationOf("dev.libos.bench.sched.WakeupBenchmark.pingPong", Map.of()));
        assertEquals("Benchmark.x", JmhResults.operationOf("p.Benchmark.x", Map.of()), "a class named just Benchmark keeps its name");
        assertEquals(List.of(), JmhResults.parse("[]"));
        assertEquals("tcp-rr", JmhResults.operationOf("dev.libos.bench.guest.tcp-rr", Map.of()),
                "a suite written outside JMH names the operation right after the suite");
        assertEquals("guest", JmhResults.suiteOf("dev.libos.bench.guest.tcp-rr"));
    }
}
