package dev.libos.bench.report;

import java.util.Objects;

/**
 * One JMH result, named the way the report pairs it: {@code suite} is the package under
 * {@code dev.libos.bench}, {@code operation} the benchmark class (without its "Benchmark" suffix)
 * and method plus every parameter but {@code impl}, and {@code impl} the value of the
 * {@code impl} parameter (null when the benchmark has none).
 *
 * @param error the JMH error (half the 99.9% confidence interval), NaN when JMH gave none
 */
public record Measurement(String suite, String operation, String impl, Mode mode, double score, double error, String unit) {

    /** The impl name of the libos side of every comparison. */
    public static final String LIBOS = "libos";

    /** JMH benchmark modes, by whether a larger score is better. */
    public enum Mode {
        /** Operations per unit of time ("thrpt"): larger is faster. */
        THROUGHPUT,
        /** Time per operation ("avgt", "sample", "ss"): smaller is faster. */
        TIME_PER_OP;

        /**
         * The mode of a JMH mode label.
         *
         * @throws IllegalArgumentException naming the label when it is not a JMH mode
         */
        public static Mode ofJmh(String label) {
            return switch (label) {
                case "thrpt" -> THROUGHPUT;
                case "avgt", "sample", "ss" -> TIME_PER_OP;
                default -> throw new IllegalArgumentException("unknown JMH mode: " + label);
            };
        }
    }

    public Measurement {
        Objects.requireNonNull(suite, "suite");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(unit, "unit");
    }

    public boolean isLibos() {
        return LIBOS.equals(impl);
    }
}
