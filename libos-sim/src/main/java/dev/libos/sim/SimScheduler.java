package dev.libos.sim;

import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The executor of every simulated virtual thread. It runs nothing itself: the JDK hands it a
 * thread's continuation whenever the thread becomes runnable and the {@link Simulation}'s
 * driver decides when it runs.
 *
 * <p>It is a {@link ForkJoinPool} (that never starts a worker) for one reason: the JDK 25
 * {@code VirtualThread.schedule} sends the timed unpark of a virtual thread (sleep, parkNanos,
 * timed waits) to its scheduler's {@code schedule} when the scheduler is a ForkJoinPool, and to
 * a shared JDK timer thread on the host clock otherwise. Overriding {@code schedule} puts every
 * such timeout on virtual time.
 */
final class SimScheduler extends ForkJoinPool {
    private final Simulation simulation;

    SimScheduler(Simulation simulation) {
        super(1);
        this.simulation = simulation;
    }

    @Override
    public void execute(Runnable continuation) {
        simulation.submitted(continuation);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return simulation.timers().schedule(unit.toNanos(delay), "unpark", command);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("the simulation scheduler schedules only the JDK's timed unparks");
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException("the simulation scheduler schedules only the JDK's timed unparks");
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("the simulation scheduler schedules only the JDK's timed unparks");
    }
}
