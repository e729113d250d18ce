package dev.libos.core.sched;

import dev.libos.api.device.Poller;
import dev.libos.api.thread.CpuStats;
import dev.libos.core.concurrent.MpscQueues;
import dev.libos.core.log.KLog;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.concurrent.locks.LockSupport;
import org.jctools.queues.varhandle.MpscUnboundedVarHandleArrayQueue;

/**
 * One virtual CPU: a run loop on its own carrier thread. Per pass it takes the wakeups that other
 * threads posted to its incoming queues, does its per-pass work (timer wheel, registered
 * pollers), and runs the next ready libos thread until that thread parks, yields or ends.
 *
 * <p>Ownership: the run queues and counters are touched only by the carrier that runs the CPU
 * (its {@code runner}: its own carrier, or another one lent to it while its own sleeps, see
 * {@link #lendTo}), one at a time, so they need neither locks nor atomics. Every other thread reaches the CPU through the lock-free MPSC
 * {@code incoming} queues and {@link #wake()}; the published fields ({@code idle},
 * {@code sleeping}, {@code queueLength}, {@code quiescentPasses}) are the only shared state.
 *
 * <p>Two run queues: {@code runQueue} holds threads that may run anywhere, and is where load
 * balancing takes threads from; {@code pinnedQueue} holds threads pinned to this CPU. The loop
 * alternates between them so neither starves the other.
 */
final class Cpu implements Runnable {
    private static final KLog LOG = KLog.of(Cpu.class);
    private static final VarHandle QUEUE_LENGTH;
    private static final VarHandle QUIESCENT_PASSES;
    private static final VarHandle RUNNER;
    /** How long a carrier waits between attempts to take its CPU back from a lending carrier. */
    private static final long RECLAIM_WAIT_NANOS = 20_000;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            QUEUE_LENGTH = lookup.findVarHandle(Cpu.class, "queueLength", int.class);
            QUIESCENT_PASSES = lookup.findVarHandle(Cpu.class, "quiescentPasses", long.class);
            RUNNER = lookup.findVarHandle(Cpu.class, "runner", CpuCarrier.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** How often (in dispatches) a CPU with a backlog looks for an idle CPU to hand threads to. */
    private static final int BALANCE_EVERY_DISPATCHES = 8;
    /** Incoming wakeups taken per pass, so a flood from other CPUs cannot starve local work. */
    private static final int INCOMING_BATCH = 256;

    final int id;
    private final Scheduler scheduler;
    final CpuCarrier carrier;

    // Owner-only state.
    private final ArrayDeque<Runnable> runQueue = new ArrayDeque<>(256);
    private final ArrayDeque<Runnable> pinnedQueue = new ArrayDeque<>(64);
    private boolean pinnedTurn;
    /** CPUs this one kicked while they slept, to unpark once the running thread blocks (see kickFrom). */
    private Cpu[] deferredWakes = new Cpu[4];
    private int deferredWakeCount;
    private int rcuReadDepth;

    // Cross-thread entry points (multi-producer, this CPU the only consumer).
    private final MpscUnboundedVarHandleArrayQueue<Runnable> incoming = MpscQueues.unbounded();
    private final MpscUnboundedVarHandleArrayQueue<Runnable> incomingPinned = MpscQueues.unbounded();

    private final RunDelayProbe runDelay = new RunDelayProbe();
    private final IdlePolicy idlePolicy;

    private volatile Poller[] pollers = new Poller[0];
    private volatile CpuWork[] works = new CpuWork[0];

    /** True while the loop has found nothing to do (spinning, yielding or parked). */
    volatile boolean idle;
    /** True while the carrier is parked or about to park: a waker must unpark it. */
    private volatile boolean sleeping;
    /**
     * A device or another thread asked for a pass ({@link #kick()}) for work that no queued
     * wakeup stands for (a frame in a device's ring). Cleared before each pass polls.
     */
    private volatile boolean kicked;
    /**
     * True while the carrier sleeps past {@code libos.idle.maxParkMicros} because its pollers
     * armed their devices' wakeups ({@link Poller#idleUntil}): the park has no periodic bound,
     * so a wakeup must not be deferred, and a carrier lent to this CPU (whose passes disarm the
     * devices again) must unpark it when it leaves.
     */
    private volatile boolean deepSleep;
    /**
     * The carrier running this CPU's loop: its own, or, while its own is parked, another carrier
     * that runs a pass for it ({@link #lendTo}). Taken by CAS, so the owner-only state is only
     * ever touched by one carrier at a time, and the CAS and the release order it between them.
     */
    @SuppressWarnings("unused")
    private volatile CpuCarrier runner;
    private volatile boolean stopRequested;
    /** Ready threads, published with opaque stores for the remote-wakeup placement and balancing. */
    @SuppressWarnings("unused")
    private int queueLength;
    /** Passes through the loop with no libos thread mounted: RCU quiescent states. */
    @SuppressWarnings("unused")
    private long quiescentPasses;

    // Counters: written by the owner only, read racily by stats() (64-bit longs do not tear on HotSpot).
    private long dispatches;
    private long localWakeups;
    private long remoteWakeups;
    private long migratedOut;
    private long idleParks;
    private long pollerCalls;
    private long rcuReadSectionsBlocked;

    Cpu(int id, Scheduler scheduler) {
        this.id = id;
        this.scheduler = scheduler;
        this.carrier = new CpuCarrier(this, "libos-cpu-" + id);
        // The probe is read (and so opened) by the carrier only: it measures the thread that reads it.
        this.idlePolicy = new IdlePolicy(scheduler.config.idleSpinNanos(), runDelay);
    }

    // ---- entry points for other threads ------------------------------------------------------

    /** Queues a wakeup from a thread that is not this CPU's carrier. */
    void postRemote(Runnable task, boolean pinned) {
        (pinned ? incomingPinned : incoming).offer(task);
        wake();
    }

    /**
     * Unparks the carrier if it sleeps. Ordering: the poster's offer is a sequentially consistent
     * read-modify-write of the queue's producer index and {@code sleeping} is volatile; the
     * sleeper writes {@code sleeping = true} and then reads the producer indices (isEmpty). In
     * any interleaving of two SC write-then-read pairs one side sees the other's write (Dekker),
     * so either the sleeper sees the work and does not park, or the poster sees it sleeping and
     * unparks it. No wakeup is lost.
     */
    void wake() {
        if (sleeping) {
            LockSupport.unpark(carrier);
        }
    }

    /**
     * Asks for one more pass: a device has work the CPU's pollers will find (Cpus.wake). The
     * flag closes the window between a pass's last poll and the park: a frame that arrives there
     * finds the carrier not yet sleeping, so {@link #wake()} alone would not unpark it, and the
     * park would sleep on the frame until its bound ({@code libos.idle.maxParkMicros}). The
     * {@code kicked} write and the sleeper's read of it after {@code sleeping = true} are the
     * same Dekker pair as in {@link #wake()}.
     */
    void kick() {
        kicked = true;
        wake();
    }

    /**
     * {@link #kick()} made on CPU {@code from}'s carrier (a libos thread or a poller there sent
     * the frame). The flag is set at once, so a carrier that is awake or about to park sees it;
     * but if this CPU's carrier sleeps, the unpark waits until {@code from}'s running thread
     * blocks or its pass ends. This is Linux's synchronous wakeup (WF_SYNC) done by hand: the
     * waker, typically a thread that has sent a request and is about to block on the reply, keeps
     * its host core until it does, instead of being preempted by the carrier it woke (measured:
     * on the contended 2-core VM, {@code LockSupport.unpark} of a parked carrier took 50-80 us
     * on average inside the waker, most of it the waker waiting for its core back).
     * Only a CPU with pollers that parks with the periodic bound ({@code libos.idle.maxParkMicros})
     * is deferred to, so even a waker that never blocks delays it by that bound at most.
     */
    void kickFrom(Cpu from) {
        kicked = true;
        if (!sleeping) {
            return;
        }
        if (pollers.length == 0 || deepSleep) {
            LockSupport.unpark(carrier);
            return;
        }
        from.deferWake(this);
    }

    /** Owner-only: remembers {@code target} to be woken by {@link #flushDeferredWakes()}. */
    private void deferWake(Cpu target) {
        for (int i = 0; i < deferredWakeCount; i++) {
            if (deferredWakes[i] == target) {
                return;
            }
        }
        if (deferredWakeCount == deferredWakes.length) {
            deferredWakes = java.util.Arrays.copyOf(deferredWakes, deferredWakeCount * 2);
        }
        deferredWakes[deferredWakeCount++] = target;
    }

    /**
     * Owner-only: wakes the CPUs whose wakeups waited for the running thread to block. When this
     * CPU has nothing else to run and the target's carrier still sleeps, this carrier runs the
     * target's passes itself ({@link #lendTo}) instead of unparking it: the work runs at once on
     * a carrier that holds a host core, and no carrier has to wait for one.
     */
    private void flushDeferredWakes() {
        for (int i = 0; i < deferredWakeCount; i++) {
            Cpu target = deferredWakes[i];
            deferredWakes[i] = null;
            if (scheduler.config.idleLend() && !hasLocalWork() && target.sleeping && target.claim(currentCarrier())) {
                lendTo(target);
            } else {
                target.wake();
            }
        }
        deferredWakeCount = 0;
    }

    private boolean hasLocalWork() {
        return !runQueue.isEmpty() || !pinnedQueue.isEmpty() || hasIncoming();
    }

    private static CpuCarrier currentCarrier() {
        return (CpuCarrier) Thread.currentThread();
    }

    private boolean claim(CpuCarrier carrier) {
        return RUNNER.compareAndSet(this, (CpuCarrier) null, carrier);
    }

    private void release() {
        runner = null;
    }

    /**
     * Runs {@code target}'s passes on this carrier (claimed by the caller) until it has nothing
     * to do, then gives it back. Its own carrier stays parked: a wakeup posted meanwhile finds it
     * {@code sleeping} and unparks it, and it takes its CPU back once this carrier releases it.
     */
    private void lendTo(Cpu target) {
        CpuCarrier me = currentCarrier();
        Cpu previous = me.current;
        me.current = target;
        try {
            target.runPassesUntilIdle(previous);
        } finally {
            me.current = previous;
            target.release();
        }
    }

    /**
     * A lent carrier's loop for this CPU: passes until nothing is left, without polling on, or
     * until the {@code lender}'s own CPU has work (a wakeup or a kick: the reply its thread waits
     * for), which goes first: this CPU's own carrier is then unparked for what may be left.
     */
    private void runPassesUntilIdle(Cpu lender) {
        boolean lenderCalled = false;
        while (!stopRequested) {
            kicked = false;
            int work = drainIncoming() + doPassWork();
            flushDeferredWakes();
            Runnable task = nextTask();
            if (task != null) {
                idle = false;
                runThread(task);
            } else {
                publishQuiescentState();
                if (work == 0) {
                    break;
                }
            }
            if (lender.kicked || lender.hasIncoming()) {
                lenderCalled = true;
                break;
            }
        }
        QUEUE_LENGTH.setOpaque(this, 0);
        idle = true; // it was idle (its carrier parked) and is again
        if (deepSleep || lenderCalled) {
            // deepSleep: the passes polled the devices, which suppresses their wakeups again
            // (NAPI): the sleeping owner must re-arm them itself, or it could sleep on the next
            // frame. lenderCalled: work may be left that only the owner will now do.
            LockSupport.unpark(carrier);
        }
    }

    /** True while the carrier is parked or about to park (a wakeup costs an unpark). */
    boolean isSleeping() {
        return sleeping;
    }

    void requestStop() {
        stopRequested = true;
        LockSupport.unpark(carrier);
    }

    void addPoller(Poller poller) {
        Poller[] old = pollers;
        Poller[] updated = java.util.Arrays.copyOf(old, old.length + 1);
        updated[old.length] = poller;
        pollers = updated; // registration is rare: copy-on-write, read once per pass
        wake();
    }

    void removePoller(Poller poller) {
        pollers = java.util.Arrays.stream(pollers).filter(p -> p != poller).toArray(Poller[]::new);
    }

    void addWork(CpuWork work) {
        CpuWork[] old = works;
        CpuWork[] updated = java.util.Arrays.copyOf(old, old.length + 1);
        updated[old.length] = work;
        works = updated;
    }

    Scheduler scheduler() {
        return scheduler;
    }

    int publishedQueueLength() {
        return (int) QUEUE_LENGTH.getOpaque(this);
    }

    long quiescentPasses() {
        return (long) QUIESCENT_PASSES.getAcquire(this);
    }

    // ---- owner-only entry points (called on this CPU's carrier) --------------------------------

    /** Queues a wakeup made on this CPU itself: no atomics, no cross-CPU traffic. */
    void postLocal(Runnable task, boolean pinned) {
        (pinned ? pinnedQueue : runQueue).addLast(task);
        localWakeups++;
    }

    void rcuReadLock() {
        rcuReadDepth++;
    }

    void rcuReadUnlock() {
        if (rcuReadDepth > 0) {
            rcuReadDepth--;
        }
    }

    // ---- the loop ------------------------------------------------------------------------------

    @Override
    public void run() {
        carrier.current = this;
        reclaim();
        boolean idling = false;
        while (!stopRequested) {
            kicked = false; // before the pass polls: a kick from here on asks for the next pass
            int work = drainIncoming() + doPassWork();
            flushDeferredWakes(); // kicks the pollers made
            Runnable task = nextTask();
            if (task != null) {
                if (idling) {
                    idling = false;
                    idle = false;
                    idlePolicy.idleEnded(System.nanoTime());
                }
                runThread(task);
                continue;
            }
            publishQuiescentState();
            if (work > 0) {
                continue;
            }
            // Real time, not the kernel's clock: an injected test clock may never advance.
            long now = System.nanoTime();
            if (!idling) {
                idling = true;
                QUEUE_LENGTH.setOpaque(this, 0);
                idle = true;
                idlePolicy.idleStarted(now);
            }
            idleStep(now);
        }
        flushDeferredWakes();
        idle = true;
        publishQuiescentState();
        release();
        runDelay.close();
    }

    private int drainIncoming() {
        int taken = 0;
        Runnable task;
        while (taken < INCOMING_BATCH && (task = incoming.relaxedPoll()) != null) {
            runQueue.addLast(task);
            taken++;
        }
        while (taken < INCOMING_BATCH && (task = incomingPinned.relaxedPoll()) != null) {
            pinnedQueue.addLast(task);
            taken++;
        }
        remoteWakeups += taken;
        return taken;
    }

    private int doPassWork() {
        Poller[] pollers = this.pollers;
        CpuWork[] works = this.works;
        if (pollers.length == 0 && works.length == 0) {
            return 0;
        }
        long now = scheduler.clock.nanoTime();
        int done = 0;
        for (CpuWork w : works) {
            done += w.doWork(now);
        }
        for (Poller p : pollers) {
            pollerCalls++;
            try {
                done += p.poll(now);
            } catch (RuntimeException e) {
                LOG.error("cpu {}: poller {} failed", id, p, e);
            }
        }
        return done;
    }

    private Runnable nextTask() {
        Runnable task;
        if (pinnedTurn) {
            task = pinnedQueue.pollFirst();
            if (task == null) {
                task = runQueue.pollFirst();
            }
        } else {
            task = runQueue.pollFirst();
            if (task == null) {
                task = pinnedQueue.pollFirst();
            }
        }
        pinnedTurn = !pinnedTurn;
        return task;
    }

    private void runThread(Runnable task) {
        QUEUE_LENGTH.setOpaque(this, runQueue.size() + pinnedQueue.size());
        if (runQueue.size() >= 2 && (dispatches % BALANCE_EVERY_DISPATCHES) == 0) {
            balance();
        }
        dispatches++;
        try {
            task.run(); // mounts the virtual thread until it parks, yields or terminates
        } catch (Throwable t) {
            LOG.error("cpu {}: a libos thread's continuation failed", id, t);
        }
        flushDeferredWakes(); // the thread blocked: now its wakeups may take the host core
        if (rcuReadDepth != 0) {
            // The thread parked inside an RCU read-side section, which RCU forbids: the CPU cannot
            // vouch for it any more. Counted and logged; the depth is reset so the CPU keeps
            // reporting quiescent states for the threads that do follow the rule.
            rcuReadSectionsBlocked++;
            rcuReadDepth = 0;
            LOG.error("cpu {}: a libos thread blocked inside an RCU read-side section", id);
        }
        publishQuiescentState();
    }

    /** Hands one migratable thread to an idle CPU (the owner pushes; nobody steals). */
    private void balance() {
        Cpu target = scheduler.findIdleCpu(this);
        if (target != null) {
            Runnable task = runQueue.pollLast();
            if (task != null) {
                migratedOut++;
                target.postRemote(task, false);
            }
        }
    }

    private void publishQuiescentState() {
        // Release store: a grace-period reader that sees the new count also sees every write this
        // CPU's threads made before the pass ended.
        QUIESCENT_PASSES.setRelease(this, (long) QUIESCENT_PASSES.get(this) + 1);
    }

    /**
     * One step of idling: poll once more while the {@link IdlePolicy} says spinning pays, else park
     * until woken, until the next deadline, or (with pollers that cannot wake the CPU) at most
     * {@code libos.idle.maxParkMicros}.
     * An idle CPU counts as quiescent for RCU.
     */
    private void idleStep(long now) {
        if (idlePolicy.keepPolling(now)) {
            Thread.onSpinWait();
        } else {
            idlePolicy.parking();
            park();
        }
    }

    private void park() {
        long parkNanos = parkBoundNanos(); // owner state: read before the CPU is released
        // With pollers, a park beyond their periodic bound relies on their wakeups (armed just now).
        deepSleep = pollers.length > 0 && parkNanos > scheduler.config.idleMaxParkNanos();
        sleeping = true; // volatile write, then the volatile reads in hasIncoming(): see wake()
        release(); // another carrier may run a pass for this CPU while its own sleeps
        try {
            if (kicked || hasIncoming() || stopRequested) {
                return;
            }
            idleParks++;
            if (parkNanos == Long.MAX_VALUE) {
                LockSupport.park(this);
            } else if (parkNanos > 0) {
                LockSupport.parkNanos(this, parkNanos);
            }
        } finally {
            sleeping = false;
            deepSleep = false;
            reclaim();
        }
    }

    /** Takes the CPU back for its own carrier, waiting while a lending carrier runs a pass. */
    private void reclaim() {
        while (!claim(carrier)) {
            LockSupport.parkNanos(this, RECLAIM_WAIT_NANOS);
        }
    }

    private boolean hasIncoming() {
        return !incoming.isEmpty() || !incomingPinned.isEmpty();
    }

    /**
     * How long an idle CPU may sleep: until its next deadline, and bounded by
     * {@code libos.idle.maxParkMicros} when a poller must be polled periodically. Asks every
     * poller ({@link Poller#idleUntil}), which arms the wakeups of the devices that have them:
     * when all can wake the CPU, it sleeps until a wakeup or the earliest deadline they report.
     */
    private long parkBoundNanos() {
        long bound = Long.MAX_VALUE;
        if (scheduler.config.clockInjected()) {
            bound = scheduler.config.idleMaxParkNanos();
        }
        Poller[] pollers = this.pollers;
        CpuWork[] works = this.works;
        long now = pollers.length > 0 || works.length > 0 ? scheduler.clock.nanoTime() : 0;
        for (Poller p : pollers) {
            long until;
            try {
                until = p.idleUntil(now);
            } catch (RuntimeException e) {
                LOG.error("cpu {}: poller {} failed to arm its wakeup", id, p, e);
                until = Poller.POLL_PERIODICALLY;
            }
            if (until == Poller.POLL_PERIODICALLY) {
                bound = Math.min(bound, scheduler.config.idleMaxParkNanos());
            } else if (until != Long.MAX_VALUE) {
                bound = Math.min(bound, Math.max(0, until - now));
            }
        }
        if (works.length > 0) {
            for (CpuWork w : works) {
                long deadline = w.nextDeadlineNanos();
                if (deadline != Long.MAX_VALUE) {
                    bound = Math.min(bound, Math.max(0, deadline - now));
                }
            }
        }
        return bound;
    }

    /** Ready threads queued here but never run because the CPU stopped. */
    int strandedTasks() {
        return runQueue.size() + pinnedQueue.size() + incoming.size() + incomingPinned.size();
    }

    long rcuReadSectionsBlocked() {
        return rcuReadSectionsBlocked;
    }

    CpuStats stats(long timersFired) {
        return new CpuStats(id, dispatches, localWakeups, remoteWakeups, migratedOut, idleParks, pollerCalls,
                timersFired, publishedQueueLength());
    }
}
