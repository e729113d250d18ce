package dev.libos.bench.net;

import dev.libos.bench.sched.WorkerPool;
import dev.libos.bench.sched.Workers;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What one benchmark trial holds: the {@link NetSide} named by {@code impl}, two long-lived
 * application workers of its kind (worker {@value #SERVER} serves, worker {@value #CLIENT} is the
 * client; libos workers are pinned to their host's CPU), and the sockets opened for the trial.
 * Closed in the order sockets, workers, side, so no thread or socket outlives the kernel.
 */
final class NetTrial implements AutoCloseable {
    static final int SERVER = 0;
    static final int CLIENT = 1;

    private final NetSide side;
    private final WorkerPool workers;
    private final List<AutoCloseable> sockets = new ArrayList<>();

    private NetTrial(NetSide side) {
        this.side = side;
        // Pinned: worker k on CPU k, matching the server stack on CPU 0 and the client's on CPU 1.
        this.workers = new WorkerPool(side.workers(), 2, true);
    }

    /** Opens the side named {@code impl} and starts its workers. */
    static NetTrial open(String impl) throws IOException {
        return new NetTrial(NetSide.open(impl));
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

    /** A connected UDP pair: {@code [server end, client end]}. */
    DatagramEnd[] udpPair() throws IOException {
        DatagramEnd[] ends = side.udpPair();
        sockets.add(ends[SERVER]);
        sockets.add(ends[CLIENT]);
        return ends;
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable socket : sockets) {
            socket.close();
        }
        workers.close();
        side.close();
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
