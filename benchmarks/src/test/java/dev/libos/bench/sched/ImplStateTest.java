package dev.libos.bench.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ImplStateTest {

    @Test
    void sharesSumToTheTotalAndDifferByAtMostOne() {
        for (int workers = 1; workers <= 7; workers++) {
            for (int total : new int[] {0, 1, 6, 100_000, 1_000_001}) {
                int sum = 0;
                int min = Integer.MAX_VALUE;
                int max = 0;
                for (int k = 0; k < workers; k++) {
                    int share = ImplState.share(total, workers, k);
                    sum += share;
                    min = Math.min(min, share);
                    max = Math.max(max, share);
                }
                assertEquals(total, sum, total + " over " + workers);
                assertTrue(max - min <= 1, total + " over " + workers);
            }
        }
    }

    @Test
    void implParamValuesRoundTripAndUnknownOnesAreNamed() {
        for (Impl impl : Impl.values()) {
            assertEquals(impl, Impl.of(impl.paramValue()));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Impl.of("green-threads"));
        assertTrue(e.getMessage().contains("green-threads"));
        IllegalArgumentException notMeasured = assertThrows(IllegalArgumentException.class,
                () -> ImplState.open("rrwl", CompetingLoad.QUIET, Impl.PLATFORM_THREADS));
        assertTrue(notMeasured.getMessage().contains("rrwl"));
    }

    @Test
    void anUnknownLoadIsNamedAndLeavesNothingRunning() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImplState.open("platform-threads", "busy", Impl.PLATFORM_THREADS));
        assertTrue(e.getMessage().contains("busy"));
    }

    @Test
    void baselineStatesBootNoKernel() {
        try (ImplState state = ImplState.open("platform-threads", CompetingLoad.QUIET, Impl.PLATFORM_THREADS)) {
            assertEquals(Workers.Kind.PLATFORM, state.workers().kind());
            assertThrows(IllegalStateException.class, state::os);
        }
    }
}
