package dev.libos.bench.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
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

    /** JMH may write an undefined score as a bare {@code NaN}; Jackson reads it only when allowed. */
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /**
     * The measurements of a JMH JSON result file, in file order.
     *
     * @throws IllegalArgumentException when the text is not JSON or not a JMH result array
     */
    public static List<Measurement> parse(String json) {
        JsonNode entries;
        try {
            entries = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("JMH result: not JSON: " + e.getOriginalMessage(), e);
        }
        if (entries == null || !entries.isArray()) {
            throw new IllegalArgumentException("a JMH JSON result file is an array");
        }
        List<Measurement> measurements = new ArrayList<>(entries.size());
        for (JsonNode entry : entries) {
            measurements.add(measurement(asObject(entry, "result")));
        }
        return measurements;
    }

    private static Measurement measurement(JsonNode result) {
        String benchmark = string(result, "benchmark");
        Map<String, String> params = new TreeMap<>();
        JsonNode raw = result.get("params");
        if (raw != null && raw.isObject()) {
            raw.properties().forEach(e -> params.put(e.getKey(), e.getValue().asText()));
        }
        String impl = params.remove("impl");
        JsonNode metric = asObject(result.get("primaryMetric"), "primaryMetric");
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

    private static JsonNode asObject(JsonNode value, String what) {
        if (value != null && value.isObject()) {
            return value;
        }
        throw new IllegalArgumentException("JMH result: " + what + " is not an object");
    }

    private static String string(JsonNode object, String key) {
        JsonNode value = object.get(key);
        if (value != null && value.isTextual()) {
            return value.textValue();
        }
        throw new IllegalArgumentException("JMH result: missing string field " + key);
    }

    /** JMH writes undefined numbers as the string "NaN"; those, and absent ones, are NaN. */
    private static double number(JsonNode value) {
        if (value == null) {
            return Double.NaN;
        }
        if (value.isNumber()) {
            return value.doubleValue();
        }
        if (value.isTextual()) {
            try {
                return Double.parseDouble(value.textValue());
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }
}
