package dev.libos.bench.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CompetingLoadTest {

    private static Set<Thread> spinnersAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("competing-load-") && t.isAlive())
                .collect(Collectors.toSet());
    }

    @Test
    void loadedStartsOneBusyThreadPerHostCpuAndCloseStopsThemAll() {
        Set<Thread> before = spinnersAlive();
        try (CompetingLoad load = CompetingLoad.start(CompetingLoad.LOADED)) {
            assertEquals(Kernel.cpus(), load.threads());
            Set<Thread> running = spinnersAlive();
            running.removeAll(before);
            assertEquals(Kernel.cpus(), running.size());
        }
        Set<Thread> after = spinnersAlive();
        after.removeAll(before);
        assertTrue(after.isEmpty(), "close() joins every busy thread: " + after);
    }

    @Test
    void quietStartsNothing() {
        try (CompetingLoad load = CompetingLoad.start(CompetingLoad.QUIET)) {
            assertEquals(0, load.threads());
        }
    }

    @Test
    void anUnknownLoadIsRejectedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CompetingLoad.start("heavy"));
        assertTrue(e.getMessage().contains("heavy"));
        assertFalse(e.getMessage().isEmpty());
    }
}
