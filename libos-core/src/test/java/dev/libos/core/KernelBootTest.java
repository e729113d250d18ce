package dev.libos.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.api.LibOS;
import dev.libos.api.LibOSConfig;
import dev.libos.core.testing.TestKernels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KernelBootTest {

    @Test
    void bootsThroughTheApiAndShutsDownIdempotently() {
        LibOS os = LibOS.boot(LibOSConfig.builder().cpus(2).build());
        try {
            assertSame(os, LibOS.current());
            assertEquals(2, os.cpus().count());
            assertTrue(os.isRunning());
            assertTrue(os.log().recent().stream().anyMatch(e -> e.message().startsWith("libos booted")));
        } finally {
            assertEquals(0, os.shutdown());
        }
        assertFalse(os.isRunning());
        assertEquals(0, os.shutdown());
        assertThrows(IllegalStateException.class, LibOS::current);
    }

    @Test
    void refusesASecondKernelInTheSameJvm() {
        Kernel first = TestKernels.boot(1);
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> TestKernels.boot(1));
            assertTrue(e.getMessage().contains("already running"), e.getMessage());
        } finally {
            TestKernels.shutdown(first);
        }
        TestKernels.shutdown(TestKernels.boot(1)); // and boots again once the first is gone
    }

    @ParameterizedTest
    @CsvSource({
        "libos.cpus, 0",
        "libos.cpus, two",
        "libos.idle.maxParkMicros, -5",
        "libos.timer.slots, 1000",
        "libos.memory.size, 12q",
        "libos.memory.trackLeaks, yes",
        "libos.idle.spinz, 10",
    })
    void aBadSettingFailsBootNamingTheSettingAndValue(String key, String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Kernel.boot(LibOSConfig.builder().set(key, value).build()));
        assertTrue(e.getMessage().contains(key + "=" + value), e.getMessage());
        assertEquals(null, Kernel.running());
    }

    @Test
    void settingsOfOtherModulesAreLeftToThem() {
        Kernel kernel = Kernel.boot(LibOSConfig.builder().cpus(1).set("libos.net.mtu", "1500").build());
        TestKernels.shutdown(kernel);
    }

    @Test
    void runMainRunsTheApplicationOnALibosThreadAndReportsFailure() {
        Kernel kernel = TestKernels.boot(2);
        try {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
            assertEquals(0, Boot.runMain(kernel, RecordingMain.class.getName(), new String[] {"x"}, errStream));
            assertTrue(RecordingMain.ranOnLibosThread);
            assertEquals(1, Boot.runMain(kernel, FailingMain.class.getName(), new String[0], errStream));
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("boom"), err.toString(StandardCharsets.UTF_8));
            assertEquals(1, Boot.runMain(kernel, "no.such.Main", new String[0], errStream));
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("not found: no.such.Main"));
        } finally {
            TestKernels.shutdown(kernel);
        }
    }

    @Test
    void afterMainReturnsBootWaitsForTheNonDaemonThreadsItStartedAsTheJvmDoes() throws Exception {
        Kernel kernel = TestKernels.boot(2);
        try {
            java.util.Set<Thread> before = Boot.nonDaemonThreads();
            PrintStream err = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
            assertEquals(0, Boot.runMain(kernel, ServerLikeMain.class.getName(), new String[0], err));
            assertTrue(ServerLikeMain.server.isAlive(), "main returned while its server thread runs");
            int[] waited = {-1};
            Thread waiter = Thread.ofPlatform().daemon(true).start(() -> waited[0] = Boot.awaitNonDaemonThreads(before));
            waiter.join(200);
            assertTrue(waiter.isAlive(), "Boot waits while the application's non-daemon thread runs");
            ServerLikeMain.release.countDown();
            waiter.join();
            assertEquals(1, waited[0]);
            assertTrue(!ServerLikeMain.server.isAlive());
            assertEquals(0, Boot.awaitNonDaemonThreads(before), "daemon and pre-existing threads are not waited for");
        } finally {
            TestKernels.shutdown(kernel);
        }
    }

    @Test
    void afterMainReturnsBootWaitsWhileTheSystemNetworkHasListeningSockets() throws Exception {
        java.util.concurrent.atomic.AtomicInteger listening = new java.util.concurrent.atomic.AtomicInteger(1);
        dev.libos.api.net.HostNetwork network = new dev.libos.api.net.HostNetwork() {
            @Override
            public dev.libos.api.net.Network sockets() {
                throw new UnsupportedOperationException();
            }

            @Override
            public java.util.List<InterfaceInfo> interfaces() {
                return java.util.List.of();
            }

            @Override
            public java.util.List<java.net.InetAddress> dnsServers() {
                return java.util.List.of();
            }

            @Override
            public int listeningSockets() {
                return listening.get();
            }
        };
        dev.libos.api.net.SystemNetwork.install(network);
        try {
            java.util.Set<Thread> before = Boot.nonDaemonThreads();
            Thread waiter = Thread.ofPlatform().daemon(true).start(() -> Boot.awaitApplication(before));
            waiter.join(500);
            assertTrue(waiter.isAlive(), "a server that still listens keeps the application running");
            listening.set(0);
            waiter.join();
        } finally {
            dev.libos.api.net.SystemNetwork.uninstall(network);
        }
    }

    /** Starts a non-daemon platform thread (like HttpServer's dispatcher) and returns. */
    public static final class ServerLikeMain {
        static final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        static volatile Thread server;

        public static void main(String[] args) {
            Thread.ofPlatform().daemon(true).start(() -> sleepUntilReleased());
            server = Thread.ofPlatform().daemon(false).name("server").start(() -> sleepUntilReleased());
        }

        private static void sleepUntilReleased() {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** An application main that records where it ran. */
    public static final class RecordingMain {
        static volatile boolean ranOnLibosThread;

        public static void main(String[] args) {
            LibOS os = LibOS.current();
            ranOnLibosThread = os.threads().isLibosThread(Thread.currentThread()) && os.cpus().current() >= 0
                    && args.length == 1 && Thread.currentThread().getName().equals("main");
        }
    }

    /** An application main that throws. */
    public static final class FailingMain {
        public static void main(String[] args) {
            throw new IllegalStateException("boom");
        }
    }
}
