package dev.libos.bench.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WorkerPoolTest {

    static Workers workers(String kind) {
        return kind.equals("platform") ? Workers.platform() : Workers.jdkVirtual();
    }

    @ParameterizedTest
    @ValueSource(strings = {"platform", "virtual"})
    void runsTaskKOnWorkerKAndWaitsForAll(String kind) {
        try (WorkerPool pool = new WorkerPool(workers(kind), 3, false)) {
            for (int batch = 0; batch < 200; batch++) {
                Thread[] ranOn = new Thread[3];
                List<Workers.Task> tasks = new ArrayList<>();
                for (int k = 0; k < 3; k++) {
                    int slot = k;
                    tasks.add(() -> ranOn[slot] = Thread.currentThread());
                }
                pool.run(tasks);
                for (int k = 0; k < 3; k++) {
                    assertSame(pool.thread(k), ranOn[k], "batch " + batch + " task " + k);
                }
            }
            assertEquals(kind.equals("virtual"), pool.thread(0).isVirtual());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"platform", "virtual"})
    void rethrowsAFailedTaskAndStaysUsable(String kind) {
        try (WorkerPool pool = new WorkerPool(workers(kind), 2, false)) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> pool.run(List.of(() -> { }, () -> { throw new ArithmeticException("boom"); })));
            assertTrue(e.getCause() instanceof ArithmeticException, e.toString());
            int[] ran = new int[1];
            pool.run(List.of(() -> ran[0]++));
            assertEquals(1, ran[0]);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"platform", "virtual"})
    void closeEndsTheWorkers(String kind) {
        WorkerPool pool = new WorkerPool(workers(kind), 2, false);
        pool.close();
        assertFalse(pool.thread(0).isAlive());
        assertFalse(pool.thread(1).isAlive());
    }

    @ParameterizedTest
    @ValueSource(strings = {"platform"})
    void rejectsMoreTasksThanWorkersAndEmptyPools(String kind) {
        try (WorkerPool pool = new WorkerPool(workers(kind), 1, false)) {
            assertThrows(IllegalArgumentException.class, () -> pool.run(List.of(() -> { }, () -> { })));
        }
        assertThrows(IllegalArgumentException.class, () -> new WorkerPool(workers(kind), 0, false));
    }
}
