package dev.libos.bench.net;

import dev.libos.bench.sched.CompetingLoad;
import dev.libos.bench.sched.WorkerPool;
import dev.libos.bench.sched.Workers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * What one benchmark trial holds: the {@link NetSide} named by {@code impl}, two long-lived
 * application workers of its kind (worker {@value #SERVER} serves, worker {@value #CLIENT} is the
 * client; libos workers are pinned to their host's CPU), the sockets opened for the trial and the
 * competing load of a loaded row. Closed in the order sockets, workers, side, so no thread or
 * socket outlives the kernel; the load is stopped last, whatever failed before.
 */
final class NetTrial implements AutoCloseable {
    static final int SERVER = 0;
    static final int CLIENT = 1;

    private final NetSide side;
    private final WorkerPool workers;
    private final List<AutoCloseable> sockets = new ArrayList<>();
    private final CompetingLoad load;

    private NetTrial(NetSide side, CompetingLoad load) {
        this.side = side;
        this.load = load;
        // Pinned: worker k on CPU k, matching the server stack on CPU 0 and the client's on CPU 1.
        this.workers = new WorkerPool(side.workers(), 2, true);
    }

    /**
     * Opens the side named {@code impl}, starts its workers and the competing load named by
     * {@code load} ({@link CompetingLoad#QUIET} or {@link CompetingLoad#LOADED}).
     */
    static NetTrial open(String impl, String load) throws IOException {
        NetSide side = NetSide.open(impl);
        try {
            return new NetTrial(side, CompetingLoad.start(load));
        } catch (RuntimeException e) {
            side.close();
            throw e;
        }
    }

    NetSide side() {
        return side;
    }

    /** Runs {@code server} on the server worker and {@code client} on the client worker; waits for both. */
    void run(Workers.Task server, Workers.Task client) {
        workers.run(List.of(server, client));
    }

    /** A TCP connection made by the application workers: {@code [server end, client end]}. */
    StreamEnd[] connectTcp() throws IOException {
        StreamEnd[] ends = new StreamEnd[2];
        try (TcpListener listener = side.listenTcp()) {
            run(() -> ends[SERVER] = listener.accept(), () -> ends[CLIENT] = listener.connect());
        }
        sockets.add(ends[SERVER]);
        sockets.add(ends[CLIENT]);
        return ends;
    }

    /** A TCP connection from the client worker to {@code server}, a port of the server host; closed with the trial. */
    StreamEnd connectTcp(InetSocketAddress server) throws IOException {
        StreamEnd[] end = new StreamEnd[1];
        run(() -> { }, () -> end[0] = side.connectTcp(server));
        sockets.add(end[0]);
        return end[0];
    }

    /** A connected UDP pair: {@code [server end, client end]}. */
    DatagramEnd[] udpPair() throws IOException {
        DatagramEnd[] ends = side.udpPair();
        sockets.add(ends[SERVER]);
        sockets.add(ends[CLIENT]);
        return ends;
    }

    @Override
    public void close() throws Exception {
        try {
            for (AutoCloseable socket : sockets) {
                socket.close();
            }
            workers.close();
            side.close();
        } finally {
            load.close();
        }
    }

    /**
     * Fails the benchmark unless {@code actual} equals {@code expected}.
     *
     * @throws IllegalStateException naming what was checked and both values
     */
    static void check(String what, long expected, long actual) {
        if (actual != expected) {
            throw new IllegalStateException(what + ": expected " + expected + ", got " + actual);
        }
    }
}
