package dev.libos.net.netty;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Netty's thread factory, remembering every thread it made so tests can check they ended. */
final class RecordingThreadFactory extends DefaultThreadFactory {
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    RecordingThreadFactory(String poolName) {
        super(poolName, true);
    }

    @Override
    protected Thread newThread(Runnable r, String name) {
        Thread t = super.newThread(r, name);
        threads.add(t);
        return t;
    }

    List<Thread> threads() {
        return threads;
    }
}
