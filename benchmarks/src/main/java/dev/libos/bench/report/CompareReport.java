package dev.libos.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints one comparison table per suite from JMH JSON result files and writes them all as CSV.
 *
 * <pre>
 * CompareReport --csv benchmarks/target/compare.csv sched=benchmarks/target/jmh-sched.json ...
 * </pre>
 * {@code --note SUITE=TEXT} prints TEXT under that suite's title line.
 *
 * A suite whose file is missing or unreadable is reported as such and the others still are; the
 * exit status is then 1.
 */
public final class CompareReport {
    private CompareReport() {
    }

    public static void main(String[] args) throws IOException {
        Path csv = null;
        List<String[]> suites = new ArrayList<>();
        java.util.Map<String, String> notes = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--csv") && i + 1 < args.length) {
                csv = Path.of(args[++i]);
            } else if (args[i].equals("--note") && i + 1 < args.length && args[i + 1].contains("=")) {
                String[] note = args[++i].split("=", 2);
                notes.put(note[0], note[1]);
            } else if (args[i].contains("=")) {
                suites.add(args[i].split("=", 2));
            } else {
                System.err.println("usage: CompareReport [--csv FILE] [--note SUITE=TEXT]... SUITE=JMH_JSON...  (bad argument: " + args[i] + ")");
                System.exit(2);
            }
        }
        boolean allRead = true;
        List<Comparison> allRows = new ArrayList<>();
        for (String[] suite : suites) {
            List<Comparison> rows;
            try {
                rows = rowsOfSuite(suite[0], JmhResults.parse(Files.readString(Path.of(suite[1]))));
            } catch (IOException | IllegalArgumentException e) {
                System.out.println("suite " + suite[0] + ": no results (" + suite[1] + ": " + e.getMessage() + ")\n");
                allRead = false;
                continue;
            }
            System.out.println(withNote(ReportTable.render(suite[0], rows), notes.get(suite[0])));
            allRows.addAll(rows);
        }
        if (csv != null) {
            Files.writeString(csv, CsvWriter.write(allRows));
            System.out.println("wrote " + csv);
        }
        if (!allRead) {
            System.exit(1);
        }
    }

    /** The table with {@code note} (how the suite ran, e.g. the guest suite's KVM or TCG) under its title line. */
    static String withNote(String table, String note) {
        if (note == null || note.isBlank()) {
            return table;
        }
        int titleEnd = table.indexOf('\n') + 1;
        return table.substring(0, titleEnd) + note.strip() + "\n" + table.substring(titleEnd);
    }

    /** The rows of {@code suite} among {@code measurements} (a file may hold others; they are left out). */
    static List<Comparison> rowsOfSuite(String suite, List<Measurement> measurements) {
        return Pairing.pair(measurements.stream().filter(m -> m.suite().equals(suite)).toList());
    }
}
