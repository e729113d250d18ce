package dev.libos.bench.sched;

import dev.libos.api.LibOS;

/**
 * What a benchmark trial holds for its implementation: the kernel (booted only for
 * {@link Impl#LIBOS}) and the workers its batches run on. Each benchmark class declares its own
 * {@code @Param impl} (the implementations it compares) and opens one of these in its trial setup.
 */
public final class ImplState implements AutoCloseable {
    private final Impl impl;
    private final LibOS os;
    private final Workers workers;
    private final java.util.List<WorkerPool> pools = new java.util.ArrayList<>();
    private final CompetingLoad load;

    private ImplState(Impl impl, LibOS os, String loadParam) {
        this.impl = impl;
        this.os = os;
        this.workers = Kernel.workersFor(impl, os);
        CompetingLoad started;
        try {
            started = CompetingLoad.start(loadParam);
        } catch (RuntimeException e) {
            Kernel.shutdown(os);
            throw e;
        }
        this.load = started;
    }

    /**
     * Opens the state for the {@code impl} parameter value, booting a kernel for libos, and starts
     * the competing load the {@code load} parameter names ({@link CompetingLoad}).
     *
     * @throws IllegalArgumentException naming the value when it is not one of {@code allowed}, or
     *     when {@code loadParam} is not a load
     */
    public static ImplState open(String implParam, String loadParam, Impl... allowed) {
        Impl impl = Impl.of(implParam);
        if (!java.util.List.of(allowed).contains(impl)) {
            throw new IllegalArgumentException("impl not measured by this benchmark: " + implParam);
        }
        return new ImplState(impl, impl == Impl.LIBOS ? Kernel.boot() : null, loadParam);
    }

    public Impl impl() {
        return impl;
    }

    /** The booted kernel. @throws IllegalStateException for a baseline, which has none */
    public LibOS os() {
        if (os == null) {
            throw new IllegalStateException("no kernel is booted for impl " + impl.paramValue());
        }
        return os;
    }

    public Workers workers() {
        return workers;
    }

    /**
     * A pool of {@code size} workers of this impl's kind, closed with this state; with
     * {@code pinToCpus} libos worker {@code k} is pinned to CPU {@code k}.
     */
    public WorkerPool newPool(int size, boolean pinToCpus) {
        WorkerPool pool = new WorkerPool(workers, size, pinToCpus);
        pools.add(pool);
        return pool;
    }

    /**
     * Stops the pools, then shuts the kernel down if one was booted (in that order: no stranded
     * threads), and stops the competing load whatever happened before.
     */
    @Override
    public void close() {
        try {
            pools.forEach(WorkerPool::close);
            Kernel.shutdown(os);
        } finally {
            load.close();
        }
    }

    /** The share of {@code total} operations that worker {@code k} of {@code workers} does (they sum to total). */
    public static int share(int total, int workers, int k) {
        return total / workers + (k < total % workers ? 1 : 0);
    }
}
