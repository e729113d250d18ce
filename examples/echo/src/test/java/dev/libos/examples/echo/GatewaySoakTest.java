package dev.libos.examples.echo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.libos.core.Kernel;
import dev.libos.core.testing.TestKernels;
import dev.libos.hosted.HostedLan;
import dev.libos.net.gateway.Forward;
import dev.libos.net.socket.StackNetwork;
import dev.libos.net.tcp.TcpState;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Soak: host clients over real loopback sockets through the port-forwarding gateway to the echo
 * server on the libos stack, phase by phase (clean closes, resets after data, half-closes with
 * unread data, connect storms, slow readers, idle holders, then all mixed). After every phase
 * the process's file descriptors and platform threads, the gateway's open bridges, and both
 * stacks' buffer reservations and live connections (TIME-WAIT aside: it holds no buffers) must be
 * back at the baseline, and a new client must be answered.
 *
 * <p>Short in CI (20 s of load, under a minute in all); {@code -Dlibos.soak.seconds=N} runs longer, and
 * {@code -Dlibos.soak.seed=S} replays a run's random choices (the seed is printed). Slack: JDK
 * virtual-thread carriers ({@code CarrierThread}, created lazily, kept for a while when idle) are
 * not counted; {@value #THREAD_SLACK} other platform threads and {@value #FD_SLACK} descriptors
 * may be created lazily by the JDK (pollers, an unparker, the JIT's and GC's helpers).
 */
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class GatewaySoakTest {
    private static final long LOAD_SECONDS = Long.getLong("libos.soak.seconds", 20);
    private static final int WORKERS = 8;
    private static final int IDLE_HOLDERS = 500;
    private static final int THREAD_SLACK = 4;
    private static final int FD_SLACK = 4;
    private static final long SETTLE_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final int CLIENT_TIMEOUT_MILLIS = 20_000;

    private enum Kind { CLEAN, RESET_AFTER_DATA, HALF_CLOSE_UNREAD, STORM, SLOW_READER }

    private InetSocketAddress host;
    private HostedLan lan;
    private final List<String> rows = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    @Test
    void mixedHostClientsLeaveDescriptorsThreadsAndStackMemoryAtBaseline() throws Exception {
        long seed = Long.getLong("libos.soak.seed", System.nanoTime());
        System.out.println("GatewaySoakTest seed " + seed + " (-Dlibos.soak.seed), load " + LOAD_SECONDS + " s");
        SplittableRandom random = new SplittableRandom(seed);
        Kernel kernel = TestKernels.boot(2);
        Forward forward = new Forward(0, Echo.GUEST_PORT);
        try (HostedLan lan = HostedLan.start(kernel, List.of(forward), random.nextLong());
                EchoServer server = EchoServer.start(kernel, lan.application().sockets(), Echo.GUEST_PORT)) {
            this.lan = lan;
            host = lan.gateway().hostAddress(forward);
            runWorkers("warm-up", List.of(Kind.values()), 2_000_000_000L, random.split());
            Figures baseline = settle(null);
            rows.add(baseline.row("baseline", 0, baseline));
            long phaseNanos = TimeUnit.SECONDS.toNanos(LOAD_SECONDS) / 6;
            for (Kind kind : Kind.values()) {
                phase(kind.name().toLowerCase().replace('_', '-'), List.of(kind), phaseNanos, random.split(), baseline);
            }
            idleHolders(baseline);
            phase("mixed", List.of(Kind.values()), phaseNanos, random.split(), baseline);
            echoOnce(new SplittableRandom(seed), 1000);
        } finally {
            printCounters();
            TestKernels.shutdown(kernel);
            printTable(seed);
        }
        if (!problems.isEmpty()) {
            fail("seed " + seed + ": " + String.join("; ", problems));
        }
    }

    private void phase(String name, List<Kind> kinds, long nanos, SplittableRandom random, Figures baseline)
            throws Exception {
        Figures before = Figures.measure(lan);
        long start = System.nanoTime();
        long connections = runWorkers(name, kinds, nanos, random);
        long loaded = System.nanoTime();
        Figures after = settle(baseline);
        rows.add(before.row(name, connections, after) + millis(loaded - start, System.nanoTime() - loaded));
        check(name, baseline, after);
    }

    /** Holds {@value #IDLE_HOLDERS} idle connections; new clients must still be answered meanwhile. */
    private void idleHolders(Figures baseline) throws Exception {
        Figures before = Figures.measure(lan);
        long start = System.nanoTime();
        List<Socket> holders = new ArrayList<>();
        try {
            for (int i = 0; i < IDLE_HOLDERS; i++) {
                Socket s = new Socket(host.getAddress(), host.getPort());
                s.setSoTimeout(CLIENT_TIMEOUT_MILLIS);
                holders.add(s);
                s.getOutputStream().write(i);
                if (s.getInputStream().read() != (i & 0xFF)) {
                    problems.add("idle holder " + i + " was not echoed");
                }
            }
            for (int i = 0; i < 20; i++) {
                echoOnce(new SplittableRandom(i), 100); // answered while the holders stay open
            }
        } finally {
            for (Socket s : holders) {
                s.close();
            }
        }
        long loaded = System.nanoTime();
        Figures after = settle(baseline);
        rows.add(before.row("idle-holders", IDLE_HOLDERS + 20, after) + millis(loaded - start, System.nanoTime() - loaded));
        check("idle-holders", baseline, after);
    }

    private long runWorkers(String phase, List<Kind> kinds, long nanos, SplittableRandom random)
            throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        AtomicLong connections = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            SplittableRandom mine = random.split();
            workers.add(Thread.ofPlatform().name("soak-" + phase + "-" + w).start(() -> {
                try {
                    while (System.nanoTime() < deadline && failure.get() == null) {
                        run(kinds.get(mine.nextInt(kinds.size())), mine);
                        connections.incrementAndGet();
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }));
        }
        for (Thread t : workers) {
            t.join();
        }
        if (failure.get() != null) {
            problems.add(phase + ": " + failure.get());
            failure.get().printStackTrace();
        }
        return connections.get();
    }

    private void run(Kind kind, SplittableRandom random) throws IOException {
        switch (kind) {
            case CLEAN -> echoOnce(random, 1 + random.nextInt(64 * 1024));
            case STORM -> new Socket(host.getAddress(), host.getPort()).close();
            case RESET_AFTER_DATA -> {
                try (Socket s = client()) {
                    byte[] data = bytes(random, 1 + random.nextInt(4096));
                    s.getOutputStream().write(data);
                    assertArrayEquals(data, s.getInputStream().readNBytes(data.length));
                    s.setSoLinger(true, 0); // the close sends RST
                }
            }
            case HALF_CLOSE_UNREAD -> {
                try (Socket s = client()) {
                    byte[] data = bytes(random, 1 + random.nextInt(32 * 1024));
                    s.getOutputStream().write(data);
                    s.shutdownOutput();
                    s.getInputStream().readNBytes(random.nextInt(data.length)); // the rest stays unread
                }
            }
            case SLOW_READER -> slowReader(random);
        }
    }

    /** Writes 4 MiB while reading only after a pause, then slowly: windows and buffers bound what piles up. */
    private void slowReader(SplittableRandom random) throws IOException {
        byte[] data = bytes(random, 4 << 20);
        try (Socket s = client()) {
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    s.getOutputStream().write(data);
                    s.shutdownOutput();
                } catch (IOException e) {
                    // the reader's failure below reports it
                }
            });
            sleep(200);
            InputStream in = s.getInputStream();
            byte[] echoed = new byte[data.length];
            int at = 0;
            while (at < data.length) {
                int n = in.read(echoed, at, Math.min(16 * 1024, data.length - at));
                if (n < 0) {
                    break;
                }
                at += n;
                if ((at & 0xFFFFF) < n) {
                    sleep(5);
                }
            }
            join(writer);
            assertArrayEquals(data, echoed);
        }
    }

    private void echoOnce(SplittableRandom random, int length) throws IOException {
        byte[] data = bytes(random, length);
        try (Socket s = client()) {
            OutputStream out = s.getOutputStream();
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    out.write(data);
                    s.shutdownOutput();
                } catch (IOException e) {
                    // the reader's failure below reports it
                }
            });
            byte[] echoed = s.getInputStream().readAllBytes();
            join(writer);
            assertArrayEquals(data, echoed);
        }
    }

    private Socket client() throws IOException {
        Socket s = new Socket(host.getAddress(), host.getPort());
        s.setSoTimeout(CLIENT_TIMEOUT_MILLIS);
        return s;
    }

    private static byte[] bytes(SplittableRandom random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /**
     * Waits (bounded) until every figure is back at {@code baseline}'s (null: until no bridge and
     * no connection is open, for the baseline itself); returns the figures then, the heap
     * measured after a full GC (live data, not garbage awaiting collection).
     */
    private Figures settle(Figures baseline) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE_NANOS;
        long report = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        Figures now = Figures.measure(lan);
        while (!now.atBaseline(baseline) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            now = Figures.measure(lan);
            if (report != 0 && System.nanoTime() > report) {
                report = 0;
                System.out.println("still settling after 5 s: " + now);
                printConnections("still settling");
            }
        }
        System.gc();
        return now.withHeap(Figures.usedHeap());
    }

    private void check(String phase, Figures baseline, Figures after) {
        if (!after.atBaseline(baseline)) {
            problems.add(phase + " left " + after + " against baseline " + baseline);
            printConnections(phase);
        }
    }

    private void printCounters() {
        if (lan != null) {
            System.out.println("guest TCP counters: " + lan.application().sockets().withStack(() -> lan.application().sockets().tcp().counters().toString()));
            System.out.println("gateway host TCP counters: "
                    + lan.gatewayHost().sockets().withStack(() -> lan.gatewayHost().sockets().tcp().counters().toString()));
            System.out.println("gateway: refused " + lan.gateway().refusedConnections() + ", resets to guest "
                    + lan.gateway().resetsToGuest() + ", resets to host " + lan.gateway().resetsToHost());
        }
    }

    private void printConnections(String when) {
        for (StackNetwork stack : List.of(lan.application().sockets(), lan.gatewayHost().sockets())) {
            System.out.println(when + ": connections (TIME-WAIT aside): " + stack.withStack(() -> stack.tcp()
                    .connections().stream().filter(c -> c.state() != TcpState.TIME_WAIT)
                    .map(c -> c + " queued=" + c.sendBufferQueued() + " unread=" + c.availableToRead()).toList()));
        }
    }

    private void printTable(long seed) {
        System.out.println("GatewaySoakTest seed " + seed);
        System.out.printf("%-18s %11s %13s %13s %23s %21s %10s %10s %10s %9s%n", "phase", "connections", "fds",
                "threads", "stack bytes reserved", "live conns (TW)", "max RSS", "heap (GC)", "load", "settle");
        rows.forEach(System.out::println);
    }

    private static String millis(long loadNanos, long settleNanos) {
        return String.format(" %7d ms %6d ms", loadNanos / 1_000_000, settleNanos / 1_000_000);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What must return to baseline, and what is only reported (RSS, heap, TIME-WAIT entries). */
    private record Figures(long fds, long threads, long bridges, long reservedBytes, long liveConnections,
                           long timeWait, long maxRssKib, long heapBytes) {
        static Figures measure(HostedLan lan) {
            long reserved = 0;
            long live = 0;
            long timeWait = 0;
            for (StackNetwork stack : List.of(lan.application().sockets(), lan.gatewayHost().sockets())) {
                long[] f = stack.withStack(() -> new long[] {stack.tcp().committedBufferBytes(),
                        stack.tcp().connectionCount(), stack.tcp().timeWaitCount()});
                reserved += f[0];
                live += f[1] - f[2];
                timeWait += f[2];
            }
            return new Figures(countOpenFds(), countPlatformThreads(), lan.gateway().activeConnections(), reserved, live,
                    timeWait, readMaxRssKib(), usedHeap());
        }

        Figures withHeap(long bytes) {
            return new Figures(fds, threads, bridges, reservedBytes, liveConnections, timeWait, maxRssKib, bytes);
        }

        static long usedHeap() {
            Runtime rt = Runtime.getRuntime();
            return rt.totalMemory() - rt.freeMemory();
        }

        boolean atBaseline(Figures base) {
            if (base == null) {
                return bridges == 0 && reservedBytes == 0 && liveConnections == 0;
            }
            return bridges == 0 && reservedBytes == base.reservedBytes && liveConnections == base.liveConnections
                    && fds <= base.fds + FD_SLACK && threads <= base.threads + THREAD_SLACK;
        }

        String row(String phase, long connections, Figures after) {
            return String.format("%-18s %11d %6d -> %4d %6d -> %4d %10d -> %10d %8d -> %4d (%d) %7d MiB %6d MiB",
                    phase, connections, fds, after.fds, threads, after.threads, reservedBytes, after.reservedBytes,
                    liveConnections, after.liveConnections, after.timeWait, after.maxRssKib / 1024,
                    after.heapBytes >> 20);
        }

        private static long countOpenFds() {
            try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
                return fds.count();
            } catch (IOException e) {
                return -1;
            }
        }

        /** Live platform threads other than virtual-thread carriers. */
        private static long countPlatformThreads() {
            return Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> !t.getClass().getName().endsWith("CarrierThread")).count();
        }

        private static long readMaxRssKib() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                    if (line.startsWith("VmHWM:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (IOException | NumberFormatException e) {
                return -1;
            }
            return -1;
        }
    }
}
