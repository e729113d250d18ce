package dev.libos.bench.report;

/**
 * One row of the report: the libos result of an operation against one baseline. Either side may
 * be missing (null) when its benchmark failed or was not run; the row is still reported.
 *
 * @param baselineName the baseline's impl name, null when the operation has no baseline result
 * @param libos the libos result, or null
 * @param baseline the baseline result, or null
 */
public record Comparison(String suite, String operation, String baselineName, Measurement libos, Measurement baseline) {

    /** The unit of the row: the libos side's, else the baseline's. */
    public String unit() {
        return libos != null ? libos.unit() : baseline != null ? baseline.unit() : "";
    }

    /**
     * How many times faster libos does the job: baseline time / libos time for time-per-operation
     * modes, libos rate / baseline rate for throughput. NaN when a side is missing, or the two
     * sides were measured in different modes or units and cannot be compared.
     */
    public double speedup() {
        if (libos == null || baseline == null || libos.mode() != baseline.mode() || !libos.unit().equals(baseline.unit())) {
            return Double.NaN;
        }
        return switch (libos.mode()) {
            case TIME_PER_OP -> baseline.score() / libos.score();
            case THROUGHPUT -> libos.score() / baseline.score();
        };
    }
}
