package dev.libos.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CompareReportTest {
    @Test
    void aNoteGoesUnderTheTitleLine() {
        String table = "suite guest (speedup > 1: libos is faster)\noperation | libos\n";
        assertEquals("suite guest (speedup > 1: libos is faster)\nVMs under TCG\noperation | libos\n",
                CompareReport.withNote(table, "VMs under TCG\n"));
        assertEquals(table, CompareReport.withNote(table, null));
        assertEquals(table, CompareReport.withNote(table, " "));
    }
}
