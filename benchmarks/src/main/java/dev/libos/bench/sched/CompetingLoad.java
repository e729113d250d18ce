package dev.libos.bench.sched;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The competing host load of a {@code loaded} benchmark row: one busy platform thread per host
 * processor, at normal priority, started in a trial's setup beside the measured pair (libos or
 * baseline alike) and stopped in its teardown. It stands for what shares the cores in real life:
 * another process, a noisy neighbour's steal time, the JVM's own GC and JIT threads.
 *
 * <p>Every benchmark class of the {@code net} and {@code sched} suites declares
 * {@code @Param({CompetingLoad.QUIET, CompetingLoad.LOADED}) load}; the report names the loaded
 * rows {@code ...[loaded]} and the quiet ones without a mark.
 */
public final class CompetingLoad implements AutoCloseable {
    /** The {@code load} parameter value of a row measured with nothing else running. */
    public static final String QUIET = "quiet";
    /** The {@code load} parameter value of a row measured beside one busy thread per host CPU. */
    public static final String LOADED = "loaded";

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final List<Thread> spinners = new ArrayList<>();
    private volatile boolean stop;
    /** What the spinners computed, so the JIT cannot remove their loops. */
    private volatile long sink;

    private CompetingLoad(int threads) {
        for (int i = 0; i < threads; i++) {
            Thread spinner = Thread.ofPlatform().name("competing-load-" + i).daemon(true).unstarted(this::spin);
            spinners.add(spinner);
            spinner.start();
        }
    }

    /**
     * Starts the load the {@code load} parameter names: nothing for {@link #QUIET}, one busy
     * platform thread per host processor for {@link #LOADED}.
     *
     * @throws IllegalArgumentException naming any other value
     */
    public static CompetingLoad start(String load) {
        return switch (load) {
            case QUIET -> new CompetingLoad(0);
            case LOADED -> new CompetingLoad(Kernel.cpus());
            default -> throw new IllegalArgumentException("load must be " + QUIET + " or " + LOADED + ", not " + load);
        };
    }

    /** Busy threads running (0 when quiet). */
    public int threads() {
        return spinners.size();
    }

    private void spin() {
        long x = 1;
        while (!stop) { // a volatile read per pass: the loop stops promptly and has a safepoint poll
            x = x * 6364136223846793005L + 1442695040888963407L;
        }
        sink = x;
    }

    /**
     * Stops the busy threads and waits for them to end.
     *
     * @throws IllegalStateException when one is still running after the timeout
     */
    @Override
    public void close() {
        stop = true;
        for (Thread spinner : spinners) {
            try {
                if (!spinner.join(STOP_TIMEOUT)) {
                    throw new IllegalStateException(spinner.getName() + " did not stop within " + STOP_TIMEOUT);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while stopping the competing load", e);
            }
        }
    }
}
