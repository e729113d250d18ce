package dev.libos.core.timer;

import dev.libos.core.concurrent.MpscQueues;
import dev.libos.core.sched.CpuWork;
import dev.libos.core.sched.Scheduler;
import org.jctools.queues.varhandle.MpscUnboundedVarHandleArrayQueue;

/**
 * One CPU's timers: a {@link TimerWheel} that only this CPU's loop touches, and an MPSC inbox
 * through which other threads add timers and ask for cancelled ones to be removed.
 */
final class CpuTimers implements CpuWork {
    /** Callbacks fired per pass, so a burst of timers cannot starve the CPU's threads. */
    private static final int FIRE_BATCH = 1024;

    private final int cpu;
    private final Scheduler scheduler;
    private final TimerWheel wheel;
    private final MpscUnboundedVarHandleArrayQueue<Object> inbox = MpscQueues.unbounded();
    private volatile long fired;

    CpuTimers(int cpu, Scheduler scheduler, TimerWheel wheel) {
        this.cpu = cpu;
        this.scheduler = scheduler;
        this.wheel = wheel;
    }

    /** Adds a timer from this CPU's own carrier. */
    void addLocal(KernelTimer timer) {
        timer.owner = this;
        Runnable fire = timer::fire;
        timer.entry = timer.isPeriodic()
                ? wheel.schedulePeriodic(timer.firstDeadlineNanos, timer.periodNanos, fire)
                : wheel.schedule(timer.firstDeadlineNanos, fire);
    }

    /** Adds a timer from any other thread. */
    void post(KernelTimer timer) {
        inbox.offer(timer);
        scheduler.wake(cpu);
    }

    /** Asks the owner to take a cancelled timer off the wheel (from any thread). */
    void requestRemoval(KernelTimer timer) {
        inbox.offer(new Removal(timer));
        scheduler.wake(cpu);
    }

    @Override
    public int doWork(long nowNanos) {
        int work = 0;
        Object command;
        while ((command = inbox.relaxedPoll()) != null) {
            if (command instanceof KernelTimer timer) {
                if (!timer.isCancelled()) {
                    addLocal(timer);
                }
            } else if (command instanceof Removal removal && removal.timer.entry != null) {
                wheel.cancel(removal.timer.entry);
            }
            work++;
        }
        int firedNow = wheel.poll(nowNanos, FIRE_BATCH);
        if (firedNow > 0) {
            fired = fired + firedNow; // single writer: this CPU
        }
        return work + firedNow;
    }

    @Override
    public long nextDeadlineNanos() {
        return wheel.nextDeadlineNanos();
    }

    long fired() {
        return fired;
    }

    private record Removal(KernelTimer timer) {
    }
}
