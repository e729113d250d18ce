package dev.libos.maven.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepsTest {
    private long now;

    @Test
    void reportsOnlyStepsOfASecondOrMoreWithTheirTime() throws IOException {
        List<String> lines = new ArrayList<>();
        Steps steps = new Steps(lines::add, () -> now);
        assertEquals("quick", steps.time("jdeps", () -> {
            now += 999_999_999L;
            return "quick";
        }));
        assertEquals(List.of(), lines, "under a second: silent");
        steps.run("jlink and CDS archive (3 modules)", () -> {
            now += 4_250_000_000L;
            return null;
        });
        assertEquals(List.of("[libos] jlink and CDS archive (3 modules) ... 4.3 s"), lines);
        long start = steps.start();
        now += 1_000_000_000L;
        steps.finish("boot", start);
        assertEquals("[libos] boot ... 1.0 s", lines.getLast());
    }

    @Test
    void aFailingStepReportsNothingAndPassesTheErrorOn() {
        List<String> lines = new ArrayList<>();
        Steps steps = new Steps(lines::add, () -> now);
        IOException thrown = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> steps.run("jdeps", () -> {
            now += 5_000_000_000L;
            throw new IOException("jdeps failed");
        }));
        assertEquals("jdeps failed", thrown.getMessage());
        assertEquals(List.of(), lines);
    }
}
