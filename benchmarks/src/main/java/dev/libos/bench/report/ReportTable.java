package dev.libos.bench.report;

import java.util.ArrayList;
import java.util.List;

/**
 * The console table of one suite: {@code operation | libos | baseline | unit | speedup}, where the
 * baseline cell names the baseline and gives its value, e.g. {@code platform-threads: 812 ± 40}.
 */
public final class ReportTable {
    static final List<String> COLUMNS = List.of("operation", "libos", "baseline", "unit", "speedup");

    private ReportTable() {
    }

    /** The table of {@code rows} (all of one suite) under a title line naming {@code suite}. */
    public static String render(String suite, List<Comparison> rows) {
        List<List<String>> cells = new ArrayList<>();
        cells.add(COLUMNS);
        for (Comparison row : rows) {
            cells.add(List.of(row.operation(), Numbers.scoreWithError(row.libos()), baselineCell(row), row.unit(),
                    Numbers.speedup(row.speedup())));
        }
        int[] widths = new int[COLUMNS.size()];
        for (List<String> line : cells) {
            for (int c = 0; c < widths.length; c++) {
                widths[c] = Math.max(widths[c], line.get(c).length());
            }
        }
        StringBuilder out = new StringBuilder("suite ").append(suite)
                .append(" (speedup > 1: libos is faster)\n");
        for (int i = 0; i < cells.size(); i++) {
            out.append(line(cells.get(i), widths));
            if (i == 0) {
                List<String> rule = new ArrayList<>();
                for (int width : widths) {
                    rule.add("-".repeat(width));
                }
                out.append(line(rule, widths).replace(' ', '-').replace("-|-", "-+-"));
            }
        }
        if (rows.isEmpty()) {
            out.append("(no results)\n");
        }
        return out.toString();
    }

    private static String baselineCell(Comparison row) {
        if (row.baselineName() == null) {
            return "";
        }
        String value = Numbers.scoreWithError(row.baseline());
        return value.isEmpty() ? row.baselineName() + ": (missing)" : row.baselineName() + ": " + value;
    }

    private static String line(List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            if (c > 0) {
                line.append(" | ");
            }
            String cell = cells.get(c);
            // Numbers read best right-aligned; names left-aligned.
            boolean right = c == 1 || c == 4;
            String pad = " ".repeat(widths[c] - cell.length());
            line.append(right ? pad + cell : cell + pad);
        }
        return line.toString().stripTrailing() + "\n";
    }
}
