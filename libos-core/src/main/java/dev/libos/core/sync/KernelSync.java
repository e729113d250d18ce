package dev.libos.core.sync;

import dev.libos.api.sync.CondVar;
import dev.libos.api.sync.Mutex;
import dev.libos.api.sync.Rcu;
import dev.libos.api.sync.Sync;
import dev.libos.api.sync.WaitQueue;
import dev.libos.api.time.MonotonicClock;
import dev.libos.api.time.Timers;

/** The kernel's factories for synchronisation primitives; timed waits follow the libos clock. */
public final class KernelSync implements Sync {
    private final Timers timers;
    private final MonotonicClock clock;
    private final Rcu rcu;

    public KernelSync(Timers timers, MonotonicClock clock, Rcu rcu) {
        this.timers = timers;
        this.clock = clock;
        this.rcu = rcu;
    }

    @Override
    public Mutex newMutex() {
        return new BargingMutex();
    }

    @Override
    public Mutex newFairMutex() {
        return new HandOffMutex();
    }

    @Override
    public CondVar newCondVar() {
        return new FifoCondVar(timers, clock);
    }

    @Override
    public WaitQueue newWaitQueue() {
        return new LockFreeWaitQueue();
    }

    @Override
    public Rcu rcu() {
        return rcu;
    }
}
