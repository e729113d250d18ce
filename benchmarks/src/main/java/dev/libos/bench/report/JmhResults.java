package dev.libos.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Turns a JMH JSON result file ({@code -rf json}) into {@link Measurement}s. */
public final class JmhResults {
    /** The package every suite lives under. */
    public static final String SUITE_PACKAGE = "dev.libos.bench.";
    /**
     * The parameter that says whether a row ran beside competing host load: its value
     * {@value #QUIET} leaves no mark in the operation name, {@value #LOADED} adds the mark
     * {@code loaded} (last in the brackets), any other value shows as {@code load=value}.
     */
    static final String LOAD_PARAM = "load";
    static final String QUIET = "quiet";
    static final String LOADED = "loaded";

    private JmhResults() {
    }

    /**
     * The measurements of a JMH JSON result file, in file order.
     *
     * @throws IllegalArgumentException when the text is not a JMH result array
     */
    public static List<Measurement> parse(String json) {
        if (!(JsonReader.parse(json) instanceof List<?> entries)) {
            throw new IllegalArgumentException("a JMH JSON result file is an array");
        }
        List<Measurement> measurements = new ArrayList<>(entries.size());
        for (Object entry : entries) {
            measurements.add(measurement(asObject(entry, "result")));
        }
        return measurements;
    }

    private static Measurement measurement(Map<?, ?> result) {
        String benchmark = string(result, "benchmark");
        Map<String, String> params = new TreeMap<>();
        if (result.get("params") instanceof Map<?, ?> raw) {
            raw.forEach((key, value) -> params.put(String.valueOf(key), String.valueOf(value)));
        }
        String impl = params.remove("impl");
        Map<?, ?> metric = asObject(result.get("primaryMetric"), "primaryMetric");
        return new Measurement(
                suiteOf(benchmark),
                operationOf(benchmark, params),
                impl,
                Measurement.Mode.ofJmh(string(result, "mode")),
                number(metric.get("score")),
                number(metric.get("scoreError")),
                string(metric, "scoreUnit"));
    }

    /** {@code dev.libos.bench.sched.WakeupBenchmark.pingPong} is in suite {@code sched}. */
    static String suiteOf(String benchmark) {
        String rest = benchmark.startsWith(SUITE_PACKAGE) ? benchmark.substring(SUITE_PACKAGE.length()) : benchmark;
        int dot = rest.indexOf('.');
        return dot < 0 ? "" : rest.substring(0, dot);
    }

    /**
     * {@code ...WakeupBenchmark.pingPong} with parameters {@code {size=8}} (impl removed) is the
     * operation {@code Wakeup.pingPong[size=8]}; with {@code {load=loaded, size=8}} it is
     * {@code Wakeup.pingPong[size=8,loaded]}, and with {@code {load=quiet, size=8}} it is
     * {@code Wakeup.pingPong[size=8]} again, so a quiet row keeps the name it had before loaded
     * rows existed and each loaded row pairs only with the loaded rows of its operation.
     */
    static String operationOf(String benchmark, Map<String, String> paramsWithoutImpl) {
        Map<String, String> params = new TreeMap<>(paramsWithoutImpl);
        String load = params.get(LOAD_PARAM);
        boolean loaded = LOADED.equals(load);
        if (loaded || QUIET.equals(load)) {
            params.remove(LOAD_PARAM);
        }
        int methodDot = benchmark.lastIndexOf('.');
        int classDot = benchmark.lastIndexOf('.', methodDot - 1);
        String className = benchmark.substring(classDot + 1, Math.max(methodDot, classDot + 1));
        if (className.endsWith("Benchmark") && className.length() > "Benchmark".length()) {
            className = className.substring(0, className.length() - "Benchmark".length());
        }
        StringBuilder operation = new StringBuilder(className).append('.').append(benchmark.substring(methodDot + 1));
        if (benchmark.startsWith(SUITE_PACKAGE) && classDot + 1 == SUITE_PACKAGE.length()) {
            // A suite measured outside JMH (benchmarks/guest-suite) names its results
            // dev.libos.bench.SUITE.OPERATION: the operation is the name alone (guest's tcp-rr).
            operation = new StringBuilder(benchmark.substring(methodDot + 1));
        }
        StringBuilder list = new StringBuilder();
        params.forEach((key, value) -> list.append(list.isEmpty() ? "" : ",").append(key).append('=').append(value));
        if (loaded) {
            list.append(list.isEmpty() ? "" : ",").append(LOADED);
        }
        if (!list.isEmpty()) {
            operation.append('[').append(list).append(']');
        }
        return operation.toString();
    }

    private static Map<?, ?> asObject(Object value, String what) {
        if (value instanceof Map<?, ?> map) {
            return map;
        }
        throw new IllegalArgumentException("JMH result: " + what + " is not an object");
    }

    private static String string(Map<?, ?> object, String key) {
        if (object.get(key) instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException("JMH result: missing string field " + key);
    }

    /** JMH writes undefined numbers as the string "NaN"; those, and absent ones, are NaN. */
    private static double number(Object value) {
        if (value instanceof Double d) {
            return d;
        }
        if (value instanceof String s) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }
}
