package dev.libos.net.netty;

import dev.libos.api.net.Network;
import dev.libos.api.net.SocketEndpoint;
import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;
import io.netty.util.concurrent.ThreadAwareExecutor;
import io.netty.util.internal.PlatformDependent;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * The I/O multiplexer of one Netty event loop over libos sockets, the counterpart of
 * {@code NioIoHandler}. Sockets report readiness through their listeners on any thread; a listener
 * queues the socket's registration into an MPSC queue and wakes the event loop thread if it is
 * parked. {@link #run(IoHandlerContext)} parks (when the loop allows blocking) until readiness,
 * {@link #wakeup()} or the next scheduled task, then tells each queued handle what it is ready for.
 * Nothing polls: an idle loop is parked.
 *
 * <p>Use: {@code new MultiThreadIoEventLoopGroup(LibosIoHandler.newFactory(network))} with
 * {@link LibosSocketChannel} and {@link LibosServerSocketChannel}.
 */
public final class LibosIoHandler implements IoHandler {
    private static final InternalLogger logger = InternalLoggerFactory.getInstance(LibosIoHandler.class);

    private final Network network;
    private final ThreadAwareExecutor executor;
    /** Registrations whose sockets may be ready; many producers (listeners), the loop consumes. */
    private final Queue<LibosIoRegistration> readyQueue = PlatformDependent.newMpscQueue();
    /** The registrations of this loop; event loop thread only. */
    private final Set<LibosIoRegistration> registrations = new HashSet<>();
    /** The round being dispatched; event loop thread only. */
    private final ArrayDeque<LibosIoRegistration> round = new ArrayDeque<>();
    private volatile Thread loopThread;
    /** True while the loop thread is about to park or parked. */
    private volatile boolean sleeping;
    /** Set by {@link #wakeup()}; cleared by the loop at the start of each run. */
    private volatile boolean wakeupRequested;

    private LibosIoHandler(Network network, ThreadAwareExecutor executor) {
        this.network = network;
        this.executor = executor;
    }

    /**
     * A factory for {@code MultiThreadIoEventLoopGroup}: every event loop gets a handler whose
     * channels open their sockets from {@code network}.
     */
    public static IoHandlerFactory newFactory(Network network) {
        Objects.requireNonNull(network, "network");
        return executor -> new LibosIoHandler(network, Objects.requireNonNull(executor, "executor"));
    }

    @Override
    public void initialize() {
        loopThread = Thread.currentThread();
    }

    @Override
    public int run(IoHandlerContext context) {
        if (loopThread == null) {
            loopThread = Thread.currentThread();
        }
        // Cleared before canBlock() looks at the task queue: a task offered before a later
        // wakeup() is seen either by canBlock() or through the flag set again (volatile order).
        wakeupRequested = false;
        if (context.canBlock() && readyQueue.isEmpty()) {
            park(context);
        }
        long startNanos = context.shouldReportActiveIoTime() ? System.nanoTime() : 0;
        int handled = dispatchReady();
        if (context.shouldReportActiveIoTime()) {
            context.reportActiveIoTime(System.nanoTime() - startNanos);
        }
        return handled;
    }

    /** Parks until readiness, a wakeup or the next scheduled task's deadline. */
    private void park(IoHandlerContext context) {
        sleeping = true;
        try {
            // Ordering point (Dekker): the loop writes `sleeping`, then reads the queue and the
            // wake-up flag; a producer writes the queue or the flag, then reads `sleeping`. All are
            // volatile (the queue's indices too), so at least one side sees the other: either the
            // loop does not park, or the producer unparks it (an unpark before the park makes the
            // park return at once).
            if (!wakeupRequested && readyQueue.isEmpty()) {
                // Netty's scheduler counts time in System.nanoTime(); the context turns it into the
                // delay to the next scheduled task.
                long delayNanos = context.delayNanos(System.nanoTime());
                if (delayNanos > 0) {
                    LockSupport.parkNanos(this, delayNanos);
                }
            }
        } finally {
            sleeping = false;
        }
    }

    /** Dispatches what is queued now; registrations queued meanwhile wait for the next run. */
    private int dispatchReady() {
        LibosIoRegistration registration;
        while ((registration = readyQueue.poll()) != null) {
            round.add(registration);
        }
        int handled = 0;
        while ((registration = round.poll()) != null) {
            try {
                if (registration.dispatch()) {
                    handled++;
                }
            } catch (Throwable t) {
                logger.warn("unexpected exception handling " + registration, t);
            }
        }
        return handled;
    }

    /** Called by a registration that has just queued itself, on any thread. */
    void readinessChanged(LibosIoRegistration registration) {
        readyQueue.offer(registration);
        wakeLoop();
    }

    @Override
    public void wakeup() {
        if (Thread.currentThread() != loopThread) {
            wakeupRequested = true;
            wakeLoop();
        }
    }

    private void wakeLoop() {
        Thread thread = loopThread;
        // Read after the queue or flag write: see park() for why no wake-up is lost.
        if (sleeping && thread != null && Thread.currentThread() != thread) {
            LockSupport.unpark(thread);
        }
    }

    @Override
    public IoRegistration register(IoHandle handle) throws Exception {
        if (!(handle instanceof LibosIoHandle libosHandle)) {
            throw new IllegalArgumentException("not a LibosIoHandle: " + handle);
        }
        SocketEndpoint endpoint = libosHandle.endpoint(network);
        LibosIoRegistration registration = new LibosIoRegistration(this, libosHandle, endpoint);
        registrations.add(registration);
        registration.listenTo(endpoint);
        libosHandle.registered();
        return registration;
    }

    /** Forgets a cancelled registration (on the loop thread, or handed to it). */
    void unregister(LibosIoRegistration registration) {
        if (executor.isExecutorThread(Thread.currentThread())) {
            registrations.remove(registration);
        } else {
            executor.execute(() -> registrations.remove(registration));
        }
    }

    @Override
    public void prepareToDestroy() {
        for (LibosIoRegistration registration : new ArrayList<>(registrations)) {
            try {
                registration.handle().close();
            } catch (Exception e) {
                logger.debug("exception closing " + registration.handle(), e);
            }
        }
    }

    @Override
    public void destroy() {
        registrations.clear();
        readyQueue.clear();
    }

    @Override
    public boolean isCompatible(Class<? extends IoHandle> handleType) {
        return LibosIoHandle.class.isAssignableFrom(handleType);
    }

    /** Registrations of this loop; for tests, on the loop thread. */
    int registrationCount() {
        return registrations.size();
    }
}
