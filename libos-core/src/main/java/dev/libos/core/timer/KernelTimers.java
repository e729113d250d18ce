package dev.libos.core.timer;

import dev.libos.api.time.MonotonicClock;
import dev.libos.api.time.TimerHandle;
import dev.libos.api.time.Timers;
import dev.libos.core.config.KernelConfig;
import dev.libos.core.log.KLog;
import dev.libos.core.sched.Scheduler;
import java.util.concurrent.locks.LockSupport;

/**
 * {@link Timers} over one {@link CpuTimers} (a timer wheel) per virtual CPU. A timer set on a libos
 * thread goes on the wheel of the CPU it runs on, directly; one set on any other thread is posted
 * to a CPU in turn. The callback runs on that CPU's loop.
 */
public final class KernelTimers implements Timers {
    private static final KLog LOG = KLog.of(KernelTimers.class);
    private final MonotonicClock clock;
    private final Scheduler scheduler;
    private final CpuTimers[] perCpu;
    private int placementCursor; // racy round-robin for timers set from outside: harmless if stale

    public KernelTimers(Scheduler scheduler, KernelConfig config) {
        this.clock = config.clock();
        this.scheduler = scheduler;
        this.perCpu = new CpuTimers[scheduler.count()];
        long now = clock.nanoTime();
        for (int i = 0; i < perCpu.length; i++) {
            perCpu[i] = new CpuTimers(i, scheduler, new TimerWheel(config.timerTickNanos(), config.timerSlots(), now,
                    failure -> LOG.error("a timer callback failed", failure)));
            scheduler.addWork(i, perCpu[i]);
        }
        scheduler.timerCounters(cpu -> perCpu[cpu].fired());
    }

    @Override
    public TimerHandle schedule(long delayNanos, Runnable callback) {
        checkDelay("delayNanos", delayNanos);
        return place(new KernelTimer(clock.nanoTime() + delayNanos, 0, callback));
    }

    @Override
    public TimerHandle schedulePeriodic(long initialDelayNanos, long periodNanos, Runnable callback) {
        checkDelay("initialDelayNanos", initialDelayNanos);
        if (periodNanos <= 0) {
            throw new IllegalArgumentException("periodNanos must be positive: " + periodNanos);
        }
        return place(new KernelTimer(clock.nanoTime() + initialDelayNanos, periodNanos, callback));
    }

    @Override
    public void sleep(long delayNanos) throws InterruptedException {
        checkDelay("delayNanos", delayNanos);
        Thread sleeper = Thread.currentThread();
        KernelTimer timer = new KernelTimer(clock.nanoTime() + delayNanos, 0, () -> LockSupport.unpark(sleeper));
        place(timer);
        while (!timer.hasFired()) {
            LockSupport.park(this);
            if (Thread.interrupted()) {
                timer.cancel();
                throw new InterruptedException("interrupted in libos sleep");
            }
        }
    }

    /** Timer callbacks run on {@code cpu} since boot. */
    public long fired(int cpu) {
        return perCpu[cpu].fired();
    }

    private KernelTimer place(KernelTimer timer) {
        int here = scheduler.current();
        if (here >= 0) {
            perCpu[here].addLocal(timer);
        } else {
            int cpu = (placementCursor++ & Integer.MAX_VALUE) % perCpu.length;
            perCpu[cpu].post(timer);
        }
        return timer;
    }

    private static void checkDelay(String name, long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException(name + " must not be negative: " + nanos);
        }
    }
}
