package dev.libos.bench.report;

import java.util.List;

/** Writes comparisons as CSV (RFC 4180: fields with a comma, quote or line break are quoted). */
public final class CsvWriter {
    /** The header line, exactly. */
    public static final String HEADER = "suite,operation,baseline,libos_value,baseline_value,unit,speedup";

    private CsvWriter() {
    }

    /** The CSV text: the header and one line per row, each ending in a newline; missing values are empty. */
    public static String write(List<Comparison> rows) {
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        for (Comparison row : rows) {
            out.append(field(row.suite())).append(',')
                    .append(field(row.operation())).append(',')
                    .append(field(row.baselineName())).append(',')
                    .append(row.libos() == null ? "" : Numbers.significant(row.libos().score(), 6)).append(',')
                    .append(row.baseline() == null ? "" : Numbers.significant(row.baseline().score(), 6)).append(',')
                    .append(field(row.unit())).append(',')
                    .append(Numbers.significant(row.speedup(), 4)).append('\n');
        }
        return out.toString();
    }

    /** One field, quoted when it must be ("" for null). */
    static String field(String value) {
        if (value == null) {
            return "";
        }
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
