package dev.libos.bench.sched;

import dev.libos.api.LibOS;
import java.time.Duration;
import java.util.List;

/**
 * Makes threads of one kind (libos, platform or JDK virtual), so a benchmark's batch of work runs
 * on threads of its implementation's kind (see {@link WorkerPool}) while the benchmark thread (a
 * JMH platform thread) only hands work over.
 */
public final class Workers {
    /** A batch that takes longer than this is taken as a stuck scheduler, not a slow one. */
    private static final Duration STUCK_AFTER = Duration.ofSeconds(60);

    /** The kinds of thread a batch runs on. */
    public enum Kind { LIBOS, PLATFORM, JDK_VIRTUAL }

    /** A batch to run on one worker thread; may throw, so a failed check fails the benchmark. */
    @FunctionalInterface
    public interface Task {
        void run() throws Exception;
    }

    private final Kind kind;
    private final LibOS os;

    private Workers(Kind kind, LibOS os) {
        this.kind = kind;
        this.os = os;
    }

    /** Workers on libos threads of {@code os}. */
    public static Workers libos(LibOS os) {
        return new Workers(Kind.LIBOS, os);
    }

    /** Workers on JDK platform threads. */
    public static Workers platform() {
        return new Workers(Kind.PLATFORM, null);
    }

    /** Workers on JDK virtual threads (the JDK's default scheduler). */
    public static Workers jdkVirtual() {
        return new Workers(Kind.JDK_VIRTUAL, null);
    }

    public Kind kind() {
        return kind;
    }

    /**
     * A new, unstarted thread of this kind. {@code cpu} pins a libos thread to that virtual CPU
     * ({@code -1}: no pin); the JDK kinds cannot be pinned and ignore it.
     */
    public Thread unstarted(String name, int cpu, Runnable task) {
        return switch (kind) {
            case LIBOS -> {
                var spec = os.threads().builder().name(name);
                if (cpu >= 0) {
                    spec.cpu(cpu);
                }
                yield spec.unstarted(task);
            }
            case PLATFORM -> Thread.ofPlatform().name(name).unstarted(task);
            case JDK_VIRTUAL -> Thread.ofVirtual().name(name).unstarted(task);
        };
    }

    /**
     * Waits for every thread; a thread still alive after {@link #STUCK_AFTER} fails the benchmark
     * with its name and stack instead of hanging the run.
     */
    public static void joinAll(List<Thread> threads) {
        for (Thread thread : threads) {
            try {
                if (!thread.join(STUCK_AFTER)) {
                    IllegalStateException stuck = new IllegalStateException(
                            "worker " + thread + " did not finish within " + STUCK_AFTER + ": scheduler stuck?");
                    stuck.setStackTrace(thread.getStackTrace());
                    throw stuck;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + thread, e);
            }
        }
    }
}
