package dev.libos.net.socket;

import dev.libos.api.device.NetDevice;
import dev.libos.api.device.Poller;
import dev.libos.api.net.Network;
import dev.libos.api.net.TcpServerSocket;
import dev.libos.api.net.TcpSocket;
import dev.libos.api.net.UdpSocket;
import dev.libos.api.thread.Cpus;
import dev.libos.api.time.MonotonicClock;
import dev.libos.net.ip.NetInterface;
import dev.libos.net.ip.NetStack;
import dev.libos.net.ip.udp.UdpLayer;
import dev.libos.net.tcp.TcpConfig;
import dev.libos.net.tcp.TcpLayer;
import dev.libos.net.wire.IpProtocol;
import dev.libos.net.wire.Ipv4Address;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;

/**
 * The socket API of one libos host, over its TCP/IP stack ({@link NetStack} with TCP and UDP).
 *
 * <p>Threading: the protocol code is single-threaded, so one stack lock guards it. The stack's
 * {@link Poller} (run by a CPU loop) only ever {@code tryLock}s — a CPU loop must not block — and
 * when an application thread holds the lock it leaves the work to that thread's release, which
 * wakes the polling CPU ({@link #pollMissed}), so the CPU may idle meanwhile. Application calls
 * take the lock (a libos thread that waits for it yields its CPU), do their work, and push
 * output at once rather than waiting for the next poll. Readiness is recomputed under the lock
 * after every poll and call, and listeners are told of changes after the lock is released.
 */
public final class StackNetwork implements Network, Poller {
    private final NetStack ip;
    private final TcpLayer tcp;
    private final UdpLayer udp;
    private final MonotonicClock clock;
    private final ReentrantLock lock = new ReentrantLock();
    /**
     * How often the stack's coarse timers (ARP retries and expiry, reassembly timeouts, agents
     * such as DHCP) run when the polling CPU sleeps on its devices' wakeups: they are a second
     * or longer (ARP retries every 1 s), so 100 ms keeps them within a tenth. TCP's deadlines
     * are reported exactly. Each wakeup costs: under TCG a wakeup of the idle guest cost about
     * 1 ms of host CPU, so a 10 ms tick alone kept the idle VM at 10-14% of a host core.
     */
    static final long HOUSEKEEPING_NANOS = 100_000_000;
    private static final long AWAKE = Long.MIN_VALUE;
    /**
     * The time {@link #idleUntil} promised the polling CPU it may sleep to, {@link #AWAKE} once it
     * polls again; written under {@link #lock}. An application call that moves a TCP deadline
     * before it wakes the CPU ({@link #unlockAfterCall}).
     */
    private long sleepingUntil = AWAKE;
    /** Wakes the CPU that polls this stack ({@link #pollOn}); null when no CPU does. */
    private volatile Runnable wakePoller;
    /**
     * A poll (or {@link #idleUntil}) found the stack held by an application call and did
     * nothing: the call's release wakes the polling CPU for another pass. Before this, a poll
     * that lost the lock reported work, so the CPU (or a carrier lent to it) polled the held
     * lock in a tight loop, taking the host core the holder needed to finish (issue 12's
     * profile: most of a lent carrier's samples).
     */
    private volatile boolean pollMissed;
    /** Protocol agents beside TCP and UDP (a DHCP client), polled under the lock; copy-on-write. */
    private volatile List<Poller> stackPollers = List.of();
    /** Open sockets; guarded by {@link #lock}. */
    private final List<StackEndpoint> sockets = new ArrayList<>();
    /**
     * A list for {@link #refreshAll} to borrow, so that a call that changes readiness allocates
     * none: taken under the lock, given back after the signals (outside it); a call made while it
     * is out (another thread, or a signal that calls back in) makes its own.
     */
    private final AtomicReference<ArrayList<StackEndpoint>> spareChanged = new AtomicReference<>();

    private StackNetwork(NetStack ip, TcpLayer tcp, UdpLayer udp, MonotonicClock clock) {
        this.ip = ip;
        this.tcp = tcp;
        this.udp = udp;
        this.clock = clock;
    }

    /**
     * Puts TCP and UDP on {@code ip} and returns its socket API. The caller registers the result
     * as a poller on a CPU ({@code Cpus.addPoller}) or polls it itself.
     */
    public static StackNetwork create(NetStack ip, TcpConfig tcpConfig, MonotonicClock clock, RandomGenerator random,
            int maxConnections, long maxTcpBufferBytes) {
        TcpLayer tcp = new TcpLayer(ip, tcpConfig, random, maxConnections, maxTcpBufferBytes);
        UdpLayer udp = new UdpLayer(ip, ip.icmp());
        ip.register(IpProtocol.TCP, tcp);
        ip.register(IpProtocol.UDP, udp);
        return new StackNetwork(ip, tcp, udp, clock);
    }

    /**
     * Has {@code cpu} poll this stack, and has every interface's device wake that CPU when a frame
     * arrives (so an idle CPU parks instead of spinning, and still answers at once).
     *
     * @return closes the registration: the CPU stops polling, the devices stop waking it
     */
    public AutoCloseable pollOn(Cpus cpus, int cpu) {
        AutoCloseable poller = cpus.addPoller(cpu, this);
        List<NetDevice> devices = withStack(() -> ip.interfaces().stream().map(NetInterface::device).toList());
        Runnable wake = () -> cpus.wake(cpu);
        wakePoller = wake;
        for (NetDevice device : devices) {
            device.setReceiveListener(wake);
        }
        return () -> {
            for (NetDevice device : devices) {
                device.setReceiveListener(null);
            }
            wakePoller = null;
            poller.close();
        };
    }

    /** The IP layer (interfaces, routes, counters). Touch it only under {@link #withStack}. */
    public NetStack ip() {
        return ip;
    }

    public TcpLayer tcp() {
        return tcp;
    }

    /** Runs {@code action} with the stack lock held: configuration and counters from other threads. */
    public <T> T withStack(java.util.function.Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            releaseLock();
        }
    }

    @Override
    public TcpSocket openTcp() {
        return new StackTcpSocket(this);
    }

    @Override
    public TcpServerSocket openTcpServer() {
        return new StackTcpServerSocket(this);
    }

    @Override
    public UdpSocket openUdp() {
        return new StackUdpSocket(this);
    }

    @Override
    public int poll(long nowNanos) {
        if (!tryLockOrMiss()) {
            // An application call holds the stack; its release wakes this CPU (pollMissed). With
            // no CPU to wake (polled by hand), report work so that the caller polls again.
            return wakePoller == null ? 1 : 0;
        }
        int work;
        ArrayList<StackEndpoint> changed;
        try {
            pollMissed = false; // this poll does what a missed one left
            sleepingUntil = AWAKE;
            work = ip.poll(nowNanos);
            for (Poller agent : stackPollers) {
                work += agent.poll(nowNanos);
            }
            tcp.poll(nowNanos);
            changed = refreshAll();
        } finally {
            lock.unlock();
        }
        signal(changed);
        return work;
    }

    /**
     * {@inheritDoc}
     *
     * <p>When every interface's device can wake the CPU ({@link NetDevice#receiveWakeupSupported()}):
     * arms them (NAPI: they were polled with notifications off) and returns the earliest TCP
     * deadline, or the housekeeping tick ({@value #HOUSEKEEPING_NANOS} ns) for the coarse timers;
     * {@code nowNanos} when a device already holds frames again. Otherwise, or when an
     * application call holds the stack, {@link Poller#POLL_PERIODICALLY}.
     */
    @Override
    public long idleUntil(long nowNanos) {
        if (wakePoller == null || !tryLockOrMiss()) {
            return POLL_PERIODICALLY;
        }
        try {
            boolean pending = false;
            boolean allWake = true;
            for (NetInterface iface : ip.interfaces()) {
                // Arm them all, even after one has frames, and also those that do not vouch for
                // their wakeups yet (a device proves them with a first interrupt).
                pending |= iface.device().armReceiveWakeup();
                allWake &= iface.device().receiveWakeupSupported();
            }
            if (pending) {
                return nowNanos;
            }
            if (!allWake) {
                return POLL_PERIODICALLY;
            }
            long tcpDeadline = tcp.nextDeadlineNanos();
            if (tcpDeadline <= nowNanos) {
                // A connection is due now (or has output it could not push): the poll that just
                // ran left it so, and another at once may do the same (measured: an idle guest
                // then spun at 33% of a host core after a wrk run). Poll periodically instead.
                return POLL_PERIODICALLY;
            }
            long until = Math.min(tcpDeadline, nowNanos + HOUSEKEEPING_NANOS);
            sleepingUntil = until;
            return until;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Has every poll of this stack also poll {@code agent}, under the stack lock, after the IP
     * layer: for protocol agents that live on the stack's thread, such as a DHCP client.
     */
    public void addStackPoller(Poller agent) {
        if (agent == null) {
            throw new IllegalArgumentException("agent must not be null");
        }
        withStack(() -> {
            List<Poller> next = new ArrayList<>(stackPollers);
            next.add(agent);
            stackPollers = List.copyOf(next);
            return null;
        });
    }

    /** The UDP layer, for agents that bind a port of their own (DHCP). Touch it only under {@link #withStack}. */
    public UdpLayer udp() {
        return udp;
    }

    /**
     * The poller's {@code tryLock}: on failure it records the miss and tries once more. Ordering:
     * the volatile write of {@link #pollMissed} comes before the second try (a CAS on the lock's
     * state); a holder releases the lock (a volatile write) before it reads the flag
     * ({@link #releaseLock}). Of the two write-then-read pairs one sees the other's write
     * (Dekker): either the second try takes the lock or the holder sees the miss and wakes the CPU.
     */
    private boolean tryLockOrMiss() {
        if (lock.tryLock()) {
            return true;
        }
        pollMissed = true;
        return lock.tryLock();
    }

    /** Releases the stack after an application call, waking the CPU whose poll it made miss. */
    private void releaseLock() {
        lock.unlock();
        if (pollMissed && !lock.isHeldByCurrentThread()) { // a nested call leaves it to the outermost release
            pollMissed = false;
            Runnable wake = wakePoller;
            if (wake != null) {
                wake.run();
            }
        }
    }

    // ---- used by the sockets -----------------------------------------------------------------

    long now() {
        return clock.nanoTime();
    }

    void lock() {
        lock.lock();
    }

    /** Pushes output made by the call, refreshes readiness, releases the stack, tells listeners. */
    void unlockAfterCall() {
        ArrayList<StackEndpoint> changed;
        Runnable wake = null;
        try {
            tcp.poll(now());
            changed = refreshAll();
            if (sleepingUntil != AWAKE && tcp.nextDeadlineNanos() < sleepingUntil) {
                // The call armed a TCP timer (a retransmission, a delayed ACK) before the time the
                // polling CPU sleeps to: wake it so that it sleeps to the new deadline instead.
                sleepingUntil = AWAKE;
                wake = wakePoller;
            }
        } finally {
            releaseLock();
        }
        signal(changed);
        if (wake != null) {
            wake.run();
        }
    }

    /** Releases the stack after a call that sent nothing. */
    void unlock() {
        releaseLock();
    }

    /** Where a listener on port 0 tries next (32768-49151, below connect's ephemeral range); under the lock. */
    private int nextListenPort = StackTcpServerSocket.FIRST_LISTEN_PORT;

    /** The next port a listener bound to port 0 should try; under the lock. */
    int nextListenPortCandidate() {
        int port = nextListenPort;
        nextListenPort = port + 1 >= StackTcpServerSocket.LAST_LISTEN_PORT_EXCLUSIVE
                ? StackTcpServerSocket.FIRST_LISTEN_PORT : port + 1;
        return port;
    }

    /**
     * The address a socket bound to {@code requested} reports: the first configured interface's
     * for the wildcard, else the requested one; under the lock.
     */
    Ipv4Address boundAddress(Ipv4Address requested) {
        if (!requested.equals(Ipv4Address.UNSPECIFIED)) {
            return requested;
        }
        for (NetInterface iface : ip.interfaces()) {
            if (iface.configured()) {
                return iface.address();
            }
        }
        return Ipv4Address.UNSPECIFIED;
    }

    void add(StackEndpoint socket) {
        sockets.add(socket);
    }

    void remove(StackEndpoint socket) {
        sockets.remove(socket);
    }

    /** The sockets whose readiness changed, or null; under the lock. */
    private ArrayList<StackEndpoint> refreshAll() {
        ArrayList<StackEndpoint> changed = null;
        for (int i = 0; i < sockets.size(); i++) {
            StackEndpoint socket = sockets.get(i);
            if (socket.refreshReadiness()) {
                if (changed == null) {
                    changed = spareChanged.getAndSet(null);
                    if (changed == null) {
                        changed = new ArrayList<>(4);
                    }
                }
                changed.add(socket);
            }
        }
        return changed;
    }

    /** Signals the sockets outside the lock, then gives the list back for the next call to reuse. */
    private void signal(ArrayList<StackEndpoint> changed) {
        if (changed != null) {
            for (int i = 0; i < changed.size(); i++) {
                changed.get(i).signal();
            }
            changed.clear();
            spareChanged.set(changed);
        }
    }
}
