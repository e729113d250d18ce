package dev.libos.maven.image;

import java.io.IOException;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Times the slow steps of a goal (jdeps, jlink, compression, writing, the boot wait) and reports
 * each that took at least {@link #THRESHOLD_NANOS} as {@code [libos] STEP ... N.N s}; quicker steps
 * stay silent, so a cached build prints little.
 */
public final class Steps {
    /** Steps shorter than this are not reported. */
    public static final long THRESHOLD_NANOS = 1_000_000_000L;

    /** A step's work. */
    @FunctionalInterface
    public interface Work<T> {
        /** Does the step. */
        T run() throws IOException;
    }

    private final Consumer<String> sink;
    private final LongSupplier nanoClock;

    /**
     * @param sink      receives one line per slow step
     * @param nanoClock monotonic nanoseconds ({@code System::nanoTime}; a fake in tests)
     */
    public Steps(Consumer<String> sink, LongSupplier nanoClock) {
        this.sink = sink;
        this.nanoClock = nanoClock;
    }

    /** Steps that report nothing (tests, callers without a log). */
    public static Steps silent() {
        return new Steps(line -> { }, System::nanoTime);
    }

    /** Runs {@code work} and reports it when it took a second or more; its result. */
    public <T> T time(String step, Work<T> work) throws IOException {
        long start = nanoClock.getAsLong();
        T result = work.run();
        report(step, nanoClock.getAsLong() - start);
        return result;
    }

    /** Runs {@code work} (no result) and reports it when it took a second or more. */
    public void run(String step, Work<?> work) throws IOException {
        time(step, work);
    }

    /** The start of a step timed by the caller ({@link #finish}), for work that is not a call (a boot). */
    public long start() {
        return nanoClock.getAsLong();
    }

    /** Reports a step that began at {@code startNanos} (from {@link #start}) when it took a second or more. */
    public void finish(String step, long startNanos) {
        report(step, nanoClock.getAsLong() - startNanos);
    }

    private void report(String step, long elapsedNanos) {
        if (elapsedNanos >= THRESHOLD_NANOS) {
            sink.accept(line(step, elapsedNanos));
        }
    }

    /** {@code [libos] STEP ... N.N s}. */
    static String line(String step, long elapsedNanos) {
        return String.format(Locale.ROOT, "[libos] %s ... %.1f s", step, elapsedNanos / 1e9);
    }
}
