package dev.libos.maven.qemu;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A QEMU process that does not outlive the JVM that started it. Killing Maven (SIGTERM, Ctrl-C)
 * runs the JVM's shutdown hooks but does not signal its children, so a VM started by
 * {@code libos:run} would stay behind as an orphan holding its forwarded ports. A shutdown hook
 * therefore ends the process and everything it started (its descendants first, so none is
 * re-parented and missed), politely and then forcibly. {@link #close()} does the same and
 * removes the hook.
 */
public final class QemuProcess implements AutoCloseable {
    /** How long the tree gets to end after SIGTERM before SIGKILL. */
    static final long GRACE_MILLIS = 3_000;

    private final Process process;
    private final Thread shutdownHook;

    private QemuProcess(Process process) {
        this.process = process;
        this.shutdownHook = new Thread(() -> destroyTree(process.toHandle()), "libos-stop-qemu-" + process.pid());
    }

    /** Starts {@code builder}'s command with a shutdown hook that ends it with the JVM. */
    public static QemuProcess start(ProcessBuilder builder) throws IOException {
        QemuProcess started = new QemuProcess(builder.start());
        try {
            Runtime.getRuntime().addShutdownHook(started.shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            destroyTree(started.process.toHandle());
            throw new IOException("the JVM is shutting down; not starting " + builder.command().getFirst(), shuttingDown);
        }
        return started;
    }

    /** The process. */
    public Process process() {
        return process;
    }

    /** Ends the process tree if it still runs and removes the shutdown hook. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs (or ran) anyway
        }
        destroyTree(process.toHandle());
    }

    /** SIGTERM to {@code root} and its descendants, SIGKILL to what is left after {@link #GRACE_MILLIS}. */
    static void destroyTree(ProcessHandle root) {
        List<ProcessHandle> tree = new java.util.ArrayList<>(root.descendants().toList());
        tree.add(root);
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GRACE_MILLIS);
        for (ProcessHandle handle : tree) {
            long left = deadline - System.nanoTime();
            try {
                if (left > 0) {
                    handle.onExit().get(left, TimeUnit.NANOSECONDS);
                }
            } catch (TimeoutException | ExecutionException e) {
                // forced below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
