package dev.libos.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pairs results into {@link Comparison}s: within one suite and operation, every result whose
 * impl is not {@code libos} is a baseline and gets a row against the libos result. An operation
 * with a libos result and no baseline gets one row with a blank baseline; one with baselines and
 * no libos result gets rows with a blank libos side. A result without an {@code impl} parameter
 * is a baseline named {@link #NO_IMPL}, so it shows up instead of vanishing.
 */
public final class Pairing {
    /** The baseline name of results whose benchmark has no {@code impl} parameter. */
    public static final String NO_IMPL = "(no impl param)";

    private Pairing() {
    }

    /** The rows for {@code measurements}, operations in order of first appearance. */
    public static List<Comparison> pair(List<Measurement> measurements) {
        Map<List<String>, List<Measurement>> byOperation = new LinkedHashMap<>();
        for (Measurement m : measurements) {
            byOperation.computeIfAbsent(List.of(m.suite(), m.operation()), key -> new ArrayList<>()).add(m);
        }
        List<Comparison> rows = new ArrayList<>();
        byOperation.forEach((key, group) -> {
            Measurement libos = group.stream().filter(Measurement::isLibos).findFirst().orElse(null);
            List<Measurement> baselines = group.stream().filter(m -> !m.isLibos()).toList();
            if (baselines.isEmpty()) {
                rows.add(new Comparison(key.get(0), key.get(1), null, libos, null));
            }
            for (Measurement baseline : baselines) {
                String name = baseline.impl() != null ? baseline.impl() : NO_IMPL;
                rows.add(new Comparison(key.get(0), key.get(1), name, libos, baseline));
            }
        });
        return rows;
    }
}
