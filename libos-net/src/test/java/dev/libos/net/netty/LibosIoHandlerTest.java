package dev.libos.net.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.api.net.Network;
import dev.libos.api.net.Readiness;
import dev.libos.api.net.SocketEndpoint;
import dev.libos.api.net.TcpServerSocket;
import dev.libos.api.net.TcpSocket;
import dev.libos.net.local.LocalNetwork;
import io.netty.channel.IoEvent;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoRegistration;
import io.netty.util.concurrent.ThreadAwareExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The handler driven by hand on the test thread (the "event loop"): it parks until readiness or
 * a wakeup, never returns early on its own, and delivers level-triggered readiness per interest.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LibosIoHandlerTest {
    private static final long ONE_HOUR_NANOS = TimeUnit.HOURS.toNanos(1);

    private final LocalNetwork network = new LocalNetwork();
    private final Thread loopThread = Thread.currentThread();
    private IoHandler handler;
    private TcpSocket client;
    private TcpSocket serverEnd;

    /** The executor of the loop: the test thread. */
    private final ThreadAwareExecutor executor = new ThreadAwareExecutor() {
        @Override
        public boolean isExecutorThread(Thread thread) {
            return thread == loopThread;
        }

        @Override
        public void execute(Runnable command) {
            throw new AssertionError("no task expected to be handed to the loop");
        }
    };

    /** A context whose next scheduled task is {@code delayNanos} away. */
    private static IoHandlerContext context(boolean canBlock, long delayNanos) {
        return new IoHandlerContext() {
            @Override
            public boolean canBlock() {
                return canBlock;
            }

            @Override
            public long delayNanos(long currentTimeNanos) {
                return delayNanos;
            }

            @Override
            public long deadlineNanos() {
                return -1;
            }
        };
    }

    /** A handle that records the readiness it is told of. */
    private static final class RecordingHandle implements LibosIoHandle {
        final SocketEndpoint socket;
        final List<Integer> events = new ArrayList<>();
        boolean unregistered;

        RecordingHandle(SocketEndpoint socket) {
            this.socket = socket;
        }

        @Override
        public SocketEndpoint endpoint(Network network) {
            return socket;
        }

        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            events.add(((LibosIoEvent) event).readyBits());
        }

        @Override
        public void unregistered() {
            unregistered = true;
        }

        @Override
        public void close() {
        }
    }

    @BeforeEach
    void connectPair() throws IOException {
        handler = LibosIoHandler.newFactory(network).newHandler(executor);
        handler.initialize();
        TcpServerSocket listener = network.openTcpServer();
        listener.bind(new InetSocketAddress(0), 1);
        client = network.openTcp();
        client.connect(listener.localAddress());
        assertTrue(client.finishConnect());
        serverEnd = listener.accept();
    }

    /** Waits (without sleeping) until {@code thread} parks, then runs {@code action}. */
    private static Thread whenParked(Thread thread, ThrowingRunnable action) {
        Thread helper = new Thread(() -> {
            while (thread.getState() != Thread.State.TIMED_WAITING) {
                Thread.onSpinWait();
            }
            try {
                action.run();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        helper.start();
        return helper;
    }

    private interface ThrowingRunnable {
        void run() throws IOException;
    }

    @Test
    void parksUntilReadinessArrives() throws Exception {
        RecordingHandle handle = new RecordingHandle(serverEnd);
        IoRegistration registration = handler.register(handle);
        registration.submit(LibosIoOps.of(Readiness.READ));
        Thread writer = whenParked(loopThread, () -> client.write(ByteBuffer.wrap(new byte[] {42})));
        // The next scheduled task is an hour away: only the readiness can end this run.
        assertEquals(1, handler.run(context(true, ONE_HOUR_NANOS)));
        assertEquals(List.of(Readiness.READ), handle.events);
        writer.join();
    }

    @Test
    void wakeupEndsAParkedRun() throws Exception {
        handler.register(new RecordingHandle(serverEnd)).submit(LibosIoOps.of(Readiness.READ));
        Thread waker = whenParked(loopThread, handler::wakeup);
        assertEquals(0, handler.run(context(true, ONE_HOUR_NANOS)));
        waker.join();
    }

    @Test
    void doesNotParkWhenTheLoopHasTasks() {
        assertEquals(0, handler.run(context(false, ONE_HOUR_NANOS)));
    }

    @Test
    void readinessIsLevelTriggeredAndFilteredByInterest() throws Exception {
        RecordingHandle handle = new RecordingHandle(serverEnd);
        IoRegistration registration = handler.register(handle);
        client.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        handler.run(context(false, 0));
        assertEquals(List.of(), handle.events, "no interest, no event");

        // Readiness that is already there is found when the interest widens (no listener call).
        registration.submit(LibosIoOps.of(Readiness.READ | Readiness.WRITE));
        assertEquals(1, handler.run(context(false, 0)));
        assertEquals(List.of(Readiness.READ | Readiness.WRITE), handle.events);

        // Not consumed: told again on the next run.
        assertEquals(1, handler.run(context(false, 0)));
        assertEquals(2, handle.events.size());

        // Consumed: nothing more.
        registration.submit(LibosIoOps.of(Readiness.READ));
        serverEnd.read(ByteBuffer.allocate(16));
        handler.run(context(false, 0));
        assertEquals(0, handler.run(context(false, 0)));
        assertEquals(2, handle.events.size());
    }

    @Test
    void cancelStopsEvents() throws Exception {
        RecordingHandle handle = new RecordingHandle(serverEnd);
        IoRegistration registration = handler.register(handle);
        registration.submit(LibosIoOps.of(Readiness.READ));
        assertTrue(registration.cancel());
        assertFalse(registration.cancel());
        assertFalse(registration.isValid());
        assertTrue(handle.unregistered);
        client.write(ByteBuffer.wrap(new byte[] {1}));
        assertEquals(0, handler.run(context(false, 0)));
        assertEquals(List.of(), handle.events);
        assertEquals(-1, registration.submit(LibosIoOps.of(Readiness.READ)));
        assertEquals(0, ((LibosIoHandler) handler).registrationCount());
    }

    @Test
    void rejectsForeignHandlesAndBadBits() {
        assertFalse(handler.isCompatible(io.netty.channel.IoHandle.class));
        assertTrue(handler.isCompatible(LibosIoHandle.class));
        assertThrows(IllegalArgumentException.class, () -> handler.register(new io.netty.channel.IoHandle() {
            @Override
            public void handle(IoRegistration registration, IoEvent ioEvent) {
            }

            @Override
            public void close() {
            }
        }));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> LibosIoOps.of(2));
        assertTrue(bad.getMessage().contains("2"));
    }
}
