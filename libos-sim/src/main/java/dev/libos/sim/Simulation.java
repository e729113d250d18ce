package dev.libos.sim;

import dev.libos.api.net.SystemNetwork;
import dev.libos.core.sched.JdkVirtualThreads;
import dev.libos.jvm.net.JvmNetwork;
import dev.libos.net.tcp.TcpConnection;
import dev.libos.sim.agent.SimRandom;
import dev.libos.sim.agent.SimTime;
import dev.libos.vfs.VfsException;
import dev.libos.vfs.nio.RoutingRule;
import dev.libos.vfs.nio.VfsRoutingFileSystemProvider;
import java.nio.file.FileSystems;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * A deterministic simulation: N hosts, every thread of every host run one at a time by this
 * object's driver (the thread that created it), in an order drawn from the seed, on virtual
 * time (docs/architecture.md, "Deterministic simulation").
 *
 * <pre>{@code
 * try (Simulation sim = Simulation.start(SimulationConfig.of(seed, 3))) {
 *     sim.host(0).start("server", server::run);
 *     sim.schedule(2_000_000_000L, "crash h0", () -> sim.host(0).crash());
 *     sim.runUntil(client::done, 60_000_000_000L);
 * }   // prints libos-sim: seed=<n> steps=<k> trace=<sha256>
 * }</pre>
 *
 * <p>One simulation at a time per JVM: the system network and the clock hook are JVM-wide.
 * Needs the libos-sim agent ({@code -javaagent:libos-sim-agent.jar}) so that the JDK's timed
 * waits read virtual time, and {@code --add-opens java.base/java.lang=ALL-UNNAMED}; with many
 * runs in one JVM, {@code -Djdk.trackAllThreads=false} too, or the JDK's root thread container
 * keeps every abandoned (still parked) virtual thread, and with it its whole simulation.
 */
public final class Simulation implements AutoCloseable {
    private static final AtomicReference<Simulation> ACTIVE = new AtomicReference<>();
    private static final long MAX_STEPS = 200_000_000L;
    private static final long MAX_STALLS = 100_000L;
    /** A real-time bound on waiting for the JDK to hand over a thread it has made runnable. */
    private static final long QUIESCENCE_TIMEOUT_NANOS = 10_000_000_000L;

    private record Ready(Runnable task, SimThread thread) {
    }

    /** What the driver knows of one simulated thread. */
    private static final class SimThread {
        final int number;
        final Thread thread;
        final SimHost.Incarnation incarnation;
        int queued;

        SimThread(int number, Thread thread, SimHost.Incarnation incarnation) {
            this.number = number;
            this.thread = thread;
            this.incarnation = incarnation;
        }

        boolean frozen() {
            return incarnation != null && !incarnation.alive;
        }

        String label() {
            String name = thread.getName();
            return "#" + number + (name.isEmpty() ? "" : " " + name);
        }
    }

    private final SimulationConfig config;
    private final VirtualClock clock = new VirtualClock();
    private final SimTrace trace = new SimTrace();
    private final SimTimers timers = new SimTimers(clock);
    private final SimScheduler scheduler = new SimScheduler(this);
    private final ThreadFactory threadFactory = JdkVirtualThreads.factory(scheduler);
    private final Thread driver = Thread.currentThread();
    private final SplittableRandom choices;
    private final SplittableRandom testRandom;
    /** What the JDK's unseeded generators draw on simulated threads (guarded by {@link #lock}). */
    private final SplittableRandom jdkRandom;
    /** Draws of {@link #jdkRandom}, by the JDK source that asked (guarded by {@link #lock}). */
    private final Map<String, Long> jdkRandomDraws = new TreeMap<>();
    private final SimNetwork network;
    private final List<SimHost> hosts = new ArrayList<>();
    private final RoutedHostNetwork routedNetwork = new RoutedHostNetwork(this);
    private final PlatformThreadWatch platformThreads = new PlatformThreadWatch();
    private final Object lock = new Object();
    /** Guarded by {@link #lock}: the JDK's unblocker thread submits too. Sorted by thread number. */
    private final List<Ready> runList = new ArrayList<>();
    private final Map<Thread, SimThread> threads = new IdentityHashMap<>();
    private final List<String> nondeterminism = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private SimThread running;
    private int threadNumbers;
    private long steps;
    private long stalls;
    private long wallStartNanos = System.nanoTime();
    private boolean closed;
    /** Guarded by {@link #lock}: set while close ends the abandoned threads (frozen ones run too). */
    private boolean closing;

    private Simulation(SimulationConfig config) throws VfsException {
        this.config = config;
        SplittableRandom root = new SplittableRandom(config.seed());
        this.choices = root.split();
        this.testRandom = root.split();
        this.network = new SimNetwork(config.hosts(), clock, config.linkFaults(), root.nextLong());
        for (int i = 0; i < config.hosts(); i++) {
            SimDisk disk = new SimDisk("h" + i + ".disk", config.diskBlocks(), config.diskFaults(), root.nextLong());
            hosts.add(new SimHost(this, i, disk, root.split()));
        }
        // Split last, so that every stream above is what it was before the JDK's generators were seeded.
        this.jdkRandom = root.split();
    }

    /**
     * Creates the simulation and boots every host (virtual time 0).
     *
     * @throws IllegalStateException when another simulation is running in this JVM, or the agent is missing
     */
    public static Simulation start(SimulationConfig config) {
        if (!SimTime.agentActive()) {
            throw new IllegalStateException("libos-sim needs its agent: run the JVM with -javaagent:<libos-sim-agent jar>"
                    + " (without it Thread.sleep and every JDK timeout of a simulated thread read the host clock)");
        }
        Simulation sim;
        try {
            sim = new Simulation(config);
        } catch (VfsException e) {
            throw new IllegalStateException("cannot format the simulated disks: " + e, e);
        }
        if (!ACTIVE.compareAndSet(null, sim)) {
            throw new IllegalStateException("a simulation is running in this JVM already: " + ACTIVE.get());
        }
        JvmNetwork.install(new PrintStream(PrintStream.nullOutputStream()));
        SystemNetwork.install(sim.routedNetwork);
        JdkRandomWarmUp.run();
        SimTime.install(sim.new Clock());
        SimRandom.install(sim.new Randomness());
        if (FileSystems.getDefault().provider() instanceof VfsRoutingFileSystemProvider files) {
            // java.nio.file's /data is the calling thread's host's disk.
            files.installPerCaller(() -> {
                SimHost.Incarnation incarnation = sim.incarnationOf(Thread.currentThread());
                return incarnation == null ? null : incarnation.vfs;
            }, RoutingRule.of(List.of("/data")));
        }
        sim.trace.record(0, "start seed=" + config.seed() + " hosts=" + config.hosts());
        for (SimHost host : sim.hosts) {
            host.boot();
        }
        sim.wallStartNanos = System.nanoTime();
        return sim;
    }

    /** The clock hook: virtual time for this simulation's threads, the host's for every other. */
    private final class Clock implements SimTime.Source {
        private boolean simulated() {
            Thread t = Thread.currentThread();
            return t.isVirtual() && JdkVirtualThreads.schedulerOf(t) == scheduler;
        }

        @Override
        public long nanoTime() {
            return simulated() ? clock.nanoTime() : SimTime.NOT_SIMULATED;
        }

        @Override
        public long currentTimeMillis() {
            return simulated() ? clock.currentTimeMillis() : SimTime.NOT_SIMULATED;
        }

        @Override
        public long currentTimeNanos() {
            return simulated() ? clock.currentTimeNanos() : SimTime.NOT_SIMULATED;
        }
    }

    /** The JDK's unseeded generators on this simulation's threads: values drawn from the seed. */
    private final class Randomness implements SimRandom.Source {
        @Override
        public boolean simulates() {
            Thread t = Thread.currentThread();
            return t.isVirtual() && JdkVirtualThreads.schedulerOf(t) == scheduler;
        }

        @Override
        public long nextLong(String what) {
            synchronized (lock) {
                jdkRandomDraws.merge(what, 1L, Long::sum);
                return jdkRandom.nextLong();
            }
        }
    }

    public SimulationConfig config() {
        return config;
    }

    public long seed() {
        return config.seed();
    }

    public VirtualClock clock() {
        return clock;
    }

    public SimTrace trace() {
        return trace;
    }

    public List<SimHost> hosts() {
        return List.copyOf(hosts);
    }

    public SimHost host(int index) {
        return hosts.get(index);
    }

    /** Scheduling steps run so far. */
    public long steps() {
        return steps;
    }

    /** A random stream for the test's own choices (which fault, when), derived from the seed. */
    public SplittableRandom random() {
        return testRandom;
    }

    /** Uncaught exceptions of simulated threads, one line each. */
    public List<String> failures() {
        synchronized (lock) {
            return List.copyOf(failures);
        }
    }

    /** Nondeterminism detected so far, each naming its source. */
    public List<String> nondeterminism() {
        synchronized (lock) {
            return List.copyOf(nondeterminism);
        }
    }

    /**
     * Values the JDK's unseeded random sources ({@code new Random()}, {@code ThreadLocalRandom},
     * {@code Math.random()}, {@code SecureRandom}, {@code UUID.randomUUID()}, ...) drew from the
     * seed on simulated threads, by source.
     */
    public Map<String, Long> seededJdkRandomness() {
        synchronized (lock) {
            return Map.copyOf(jdkRandomDraws);
        }
    }

    /** Starts a thread of no host (a test's client that uses no network). */
    public Thread startThread(String name, Runnable body) {
        return startThread(null, name, body);
    }

    /** Runs {@code action} on the driver {@code delayNanos} of virtual time from now (a fault, a check). */
    public void schedule(long delayNanos, String label, Runnable action) {
        timers.schedule(delayNanos, label, () -> {
            event("timer " + label);
            action.run();
        });
    }

    /** Splits the hosts into sides (one entry per host; equal entries can talk). */
    public void partition(int... sides) {
        requireDriver();
        network.partition(sides);
        event("partition " + java.util.Arrays.toString(sides));
    }

    /** Heals every partition. */
    public void heal() {
        requireDriver();
        network.heal();
        event("heal");
    }

    /** Frames dropped by partitions, unplugged cables and crashed hosts. */
    public long framesDroppedByFaults() {
        return network.framesDropped();
    }

    /** Runs until every simulated thread has ended, or fails at {@code maxVirtualNanos}. */
    public void run(long maxVirtualNanos) {
        if (!runUntil(() -> liveThreads() == 0, maxVirtualNanos)) {
            throw new SimulationException("threads still alive at the virtual time limit " + maxVirtualNanos
                    + " ns: " + describeLiveThreads() + " (" + summary() + ")");
        }
    }

    /**
     * Runs until {@code done} holds (asked between steps, on the driver), or until virtual time
     * would pass {@code maxVirtualNanos}.
     *
     * @return whether {@code done} held
     * @throws SimulationException on deadlock (threads wait, nothing can wake them), or on
     *     detected nondeterminism when the configuration is strict
     */
    public boolean runUntil(BooleanSupplier done, long maxVirtualNanos) {
        requireDriver();
        while (true) {
            awaitQuiescence();
            pollNetwork();
            if (done.getAsBoolean()) {
                return true;
            }
            Ready next = pick();
            if (next != null) {
                stalls = 0;
                runStep(next);
                continue;
            }
            long now = clock.nanoTime();
            long due = nextEventNanos();
            if (due == Long.MAX_VALUE) {
                if (liveThreads() == 0) {
                    return done.getAsBoolean();
                }
                throw new SimulationException("deadlock at " + now + " ns: every thread waits and no timer or frame is"
                        + " pending: " + describeLiveThreads() + " (" + summary() + ")");
            }
            // A deadline already past that polling did not consume: move on by a nanosecond, but
            // not for ever (a stack whose deadline never moves would spin here).
            if (due <= now && ++stalls > MAX_STALLS) {
                throw new SimulationException("virtual time stalls at " + now + " ns: " + describeDeadlines()
                        + " (" + summary() + ")");
            }
            long target = Math.max(due, now + 1);
            if (target > maxVirtualNanos) {
                return false;
            }
            clock.advanceTo(target);
            fireTimers();
        }
    }

    /** {@code libos-sim: seed=<n> steps=<k> trace=<sha256>}. */
    public String summary() {
        return "libos-sim: seed=" + config.seed() + " steps=" + steps + " trace=" + trace.hash();
    }

    /** Simulated seconds per wall-clock second since the hosts booted. */
    public double speed() {
        double wall = Math.max(1, System.nanoTime() - wallStartNanos);
        return clock.nanoTime() / wall;
    }

    /** Prints the summary line and releases the JVM-wide hooks. Threads still alive are abandoned. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        String line = summary();
        endAbandonedThreads();
        SimTime.install(null);
        SimRandom.install(null);
        SystemNetwork.uninstall(routedNetwork);
        if (FileSystems.getDefault().provider() instanceof VfsRoutingFileSystemProvider files) {
            files.uninstall();
        }
        ACTIVE.compareAndSet(this, null);
        System.out.printf("%s (virtual %.3f s, %.1f simulated s per wall s)%n", line, clock.nanoTime() / 1e9, speed());
    }

 /**
     * Interrupts every thread still alive (crashed hosts' too) and runs them, outside the trace,
     * until they end or a bound is reached. A virtual thread left in {@code Object.wait} or
     * blocked on a monitor stays a GC root (the JVM's monitor holds it), and with it the whole
     * run: hundreds of seeds in one JVM ran out of heap before this.
     */
    private void endAbandonedThreads() {
        List<Thread> live = new ArrayList<>();
        synchronized (lock) {
            closing = true;
            for (SimThread t : threads.values()) {
                if (t.thread.getState() != Thread.State.TERMINATED) {
                    live.add(t.thread);
                }
            }
        }
        for (Thread t : live) {
            t.interrupt();
        }
        for (int i = 0; i < 100_000; i++) {
            Ready next;
            synchronized (lock) {
                if (runList.isEmpty()) {
                    break;
                }
                next = runList.removeFirst();
            }
            running = next.thread;
            try {
                next.task.run();
            } catch (RuntimeException e) {
                // an abandoned thread's last words do not matter
            } finally {
                running = null;
            }
            if (i % 64 == 63) {
                awaitUnblockerBriefly();
            }
        }
        synchronized (lock) {
            runList.clear();
            threads.clear();
        }
    }

    private void awaitUnblockerBriefly() {
        long deadline = System.nanoTime() + 100_000_000L;
        while (!VirtualThreadProbe.unblockerIdle() && System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
        }
    }

    @Override
    public String toString() {
        return "Simulation(seed=" + config.seed() + ", hosts=" + config.hosts() + ")";
    }

    // ---- package-private: hosts, scheduler ----

    SimTimers timers() {
        return timers;
    }

    SimNetwork network() {
        return network;
    }

    void requireDriver() {
        if (Thread.currentThread() != driver) {
            throw new IllegalStateException("only the simulation's driver (" + driver + ") may do this, not "
                    + Thread.currentThread() + "; use Simulation.schedule to act at a virtual time");
        }
    }

    void event(String text) {
        trace.record(clock.nanoTime(), text);
    }

    Thread startThread(SimHost.Incarnation incarnation, String name, Runnable body) {
        Thread thread = threadFactory.newThread(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                synchronized (lock) {
                    failures.add(Thread.currentThread().getName() + ": " + t);
                }
            }
        });
        thread.setName(name);
        synchronized (lock) {
            threads.put(thread, new SimThread(threadNumbers++, thread, incarnation));
        }
        event("spawn " + name);
        thread.start();
        return thread;
    }

    /** The host incarnation {@code thread} belongs to, or null. */
    SimHost.Incarnation incarnationOf(Thread thread) {
        synchronized (lock) {
            SimThread known = threads.get(thread);
            return known == null ? null : known.incarnation;
        }
    }

    /** A crashed incarnation's threads are never run again: drop what is queued of them. */
    void frozen(SimHost.Incarnation incarnation) {
        synchronized (lock) {
            runList.removeIf(r -> r.thread.incarnation == incarnation);
        }
    }

    /** The JDK made a simulated thread runnable. */
    void submitted(Runnable task) {
        Thread caller = Thread.currentThread();
        Thread thread = VirtualThreadProbe.threadOf(task);
        synchronized (lock) {
            boolean inside = caller == driver || (caller.isVirtual() && JdkVirtualThreads.schedulerOf(caller) == scheduler)
                    || caller.getName().equals("VirtualThread-unblocker");
            if (!inside) {
                nondeterminism.add("platform thread outside the simulation woke a simulated thread: \""
                        + caller.getName() + "\"");
            }
            SimThread known = thread == null ? null : threads.get(thread);
            if (known == null) {
                // A thread a simulated thread made itself (Thread.ofVirtual inherits the scheduler).
                known = new SimThread(threadNumbers++, thread, running == null ? null : running.incarnation);
                if (thread != null) {
                    threads.put(thread, known);
                }
            }
            if (known.frozen() && !closing) {
                return;
            }
            known.queued++;
            // Kept in thread-number order, not arrival order: the JDK's unblocker thread submits
            // threads released from monitors concurrently with the running step's own wakeups.
            int at = 0;
            while (at < runList.size() && runList.get(at).thread.number <= known.number) {
                at++;
            }
            runList.add(at, new Ready(task, known));
        }
    }

    // ---- the driver ----

    private Ready pick() {
        synchronized (lock) {
            if (runList.isEmpty()) {
                return null;
            }
            Ready ready = runList.remove(choices.nextInt(runList.size()));
            ready.thread.queued--;
            return ready;
        }
    }

    private void runStep(Ready ready) {
        if (++steps > MAX_STEPS) {
            throw new SimulationException("more than " + MAX_STEPS + " steps (" + summary() + ")");
        }
        trace.record(clock.nanoTime(), "run " + ready.thread.label());
        running = ready.thread;
        try {
            ready.task.run();
        } finally {
            running = null;
        }
        List<String> started = platformThreads.newThreads();
        if (!started.isEmpty()) {
            synchronized (lock) {
                for (String s : started) {
                    nondeterminism.add(s + ", during a step of " + ready.thread.label());
                }
            }
        }
        if (config.strict()) {
            List<String> found = nondeterminism();
            if (!found.isEmpty()) {
                throw new SimulationException("nondeterminism: " + found + " (" + summary() + ")");
            }
        }
    }

    /**
     * Waits (in real time, briefly) until every thread the JDK has made runnable is in the run
     * list: one released from a monitor is handed over by the JDK's unblocker thread, and
     * choosing before it arrives would make the choice depend on that thread's timing.
     */
    private void awaitQuiescence() {
        long deadline = 0;
        while (true) {
            String pending = null;
            boolean blocked = false;
            synchronized (lock) {
                for (SimThread t : threads.values()) {
                    if (t.frozen() || t.queued > 0) {
                        continue;
                    }
                    Thread.State state = t.thread.getState();
                    if (state == Thread.State.RUNNABLE || (state == Thread.State.BLOCKED
                            && VirtualThreadProbe.awaitingUnblock(t.thread))) {
                        pending = t.label();
                        break;
                    }
                    blocked |= state == Thread.State.BLOCKED;
                }
                threads.values().removeIf(t -> t.thread.getState() == Thread.State.TERMINATED && t.queued == 0);
            }
            // The unblocker clears a thread's onWaitingList before it submits it: while it is
            // between taking its list and going back for the next, a BLOCKED thread may be on
            // its way. Checked after onWaitingList, so a list taken later was seen above.
            if (pending == null && blocked && !VirtualThreadProbe.unblockerIdle()) {
                pending = "the JDK's VirtualThread-unblocker";
            }
            if (pending == null) {
                return;
            }
            if (deadline == 0) {
                deadline = System.nanoTime() + QUIESCENCE_TIMEOUT_NANOS;
            } else if (System.nanoTime() - deadline > 0) {
                throw new SimulationException("thread " + pending + " is runnable but never reached the simulation's"
                        + " scheduler: something outside the simulation holds it (" + summary() + ")");
            }
            Thread.onSpinWait();
        }
    }

    private void pollNetwork() {
        long now = clock.nanoTime();
        for (SimHost host : hosts) {
            if (host.isUp()) {
                int work = host.stack().sockets().poll(now);
                if (work > 0) {
                    trace.record(now, "net " + host.name() + " " + work);
                }
            } else {
                // A host that is down receives nothing: what reaches its port is lost.
                network.port(host.index()).receive(frame -> { }, Integer.MAX_VALUE);
            }
        }
    }

    private long nextEventNanos() {
        long next = Math.min(timers.nextDeadlineNanos(), network.nextDeliveryNanos());
        for (SimHost host : hosts) {
            if (host.isUp()) {
                long tcp = host.stack().sockets().tcp().nextDeadlineNanos();
                if (tcp != TcpConnection.NO_DEADLINE) {
                    next = Math.min(next, tcp);
                }
                // ARP retries and expiry, IP reassembly timeouts.
                next = Math.min(next, host.stack().sockets().ip().nextTimerDeadlineNanos());
            }
        }
        return next;
    }

    private String describeDeadlines() {
        StringBuilder b = new StringBuilder("timers " + timers.nextDeadlineNanos() + ", frames " + network.nextDeliveryNanos());
        for (SimHost host : hosts) {
            if (host.isUp()) {
                b.append(", ").append(host.name()).append(" tcp ").append(host.stack().sockets().tcp().nextDeadlineNanos())
                        .append(' ').append(host.stack().sockets().tcp().connections())
                        .append(" ip timers ").append(host.stack().sockets().ip().nextTimerDeadlineNanos());
            }
        }
        return b.toString();
    }

    private void fireTimers() {
        SimTimers.Timer timer;
        while ((timer = timers.pollDue(clock.nanoTime())) != null) {
            trace.record(clock.nanoTime(), "fire " + timer.label + " " + timer.sequence);
            SimTimers.fire(timer);
        }
    }

    private long liveThreads() {
        synchronized (lock) {
            return threads.values().stream()
                    .filter(t -> !t.frozen() && t.thread.getState() != Thread.State.TERMINATED).count();
        }
    }

    private String describeLiveThreads() {
        synchronized (lock) {
            List<String> live = new ArrayList<>();
            for (SimThread t : threads.values()) {
                if (!t.frozen() && t.thread.getState() != Thread.State.TERMINATED) {
                    live.add(t.label() + " " + t.thread.getState());
                }
            }
            live.sort(null);
            return live.toString();
        }
    }
}
