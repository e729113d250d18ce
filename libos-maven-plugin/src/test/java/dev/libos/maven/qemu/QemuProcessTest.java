package dev.libos.maven.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class QemuProcessTest {
    /** Waits (bounded) for a process that is not our child to be gone. */
    private static boolean gone(long pid) throws Exception {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty()) {
            return true;
        }
        try {
            handle.get().onExit().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        }
        return !handle.get().isAlive();
    }

    @Test
    void sigtermToTheJvmEndsTheProcessTreeItStarted() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process jvm = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), QemuProcessChild.class.getName())
                .redirectErrorStream(true).start();
        List<Long> pids = new ArrayList<>();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertTrue(line != null && line.startsWith("pids "), "child said: " + line);
            Arrays.stream(line.substring(5).split(" ")).map(Long::parseLong).forEach(pids::add);
            assertEquals(2, pids.size(), "the shell and its sleep: " + line);
            for (long pid : pids) {
                assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "running before the signal: " + pid);
            }
            jvm.destroy(); // SIGTERM, as `kill PID` of the Maven process
            assertTrue(jvm.waitFor(30, TimeUnit.SECONDS), "the JVM ended");
            for (long pid : pids) {
                assertTrue(gone(pid), "process " + pid + " outlived the JVM that started it");
            }
        } finally {
            jvm.destroyForcibly();
            for (long pid : pids) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Test
    void closeEndsTheTreeAndRemovesTheHook() throws Exception {
        QemuProcess fake = QemuProcess.start(new ProcessBuilder("sh", "-c", "sleep 600 & wait"));
        List<ProcessHandle> children;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        do {
            children = fake.process().descendants().toList();
        } while (children.isEmpty() && System.nanoTime() < deadline);
        assertFalse(children.isEmpty(), "the shell started its sleep");
        fake.close();
        assertTrue(fake.process().waitFor(30, TimeUnit.SECONDS));
        for (ProcessHandle child : children) {
            assertTrue(gone(child.pid()), "child " + child.pid());
        }
    }
}
