package dev.libos.bench.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/** How the report writes numbers: locale-independent, blank for undefined. */
public final class Numbers {
    private Numbers() {
    }

    /** {@code value} to {@code digits} significant digits (whole numbers stay whole); "" for NaN or infinite. */
    public static String significant(double value, int digits) {
        if (!Double.isFinite(value)) {
            return "";
        }
        if (Math.abs(value) >= Math.pow(10, digits)) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        return new BigDecimal(value).round(new MathContext(digits)).stripTrailingZeros().toPlainString();
    }

    /** "score ± error" for the table, "score" alone when the error is undefined, "" for no measurement. */
    public static String scoreWithError(Measurement m) {
        if (m == null) {
            return "";
        }
        String score = significant(m.score(), 4);
        String error = significant(m.error(), 2);
        return error.isEmpty() ? score : score + " ± " + error;
    }

    /** A speedup for the table to 3 significant digits, e.g. "1.52x" or "0.000412x"; "" when undefined. */
    public static String speedup(double speedup) {
        return Double.isFinite(speedup) ? significant(speedup, 3) + "x" : "";
    }
}
