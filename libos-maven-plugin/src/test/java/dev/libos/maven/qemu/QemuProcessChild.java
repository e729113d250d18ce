package dev.libos.maven.qemu;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Run by {@link QemuProcessTest} in a JVM of its own: starts a long-running process tree through
 * {@link QemuProcess} (a shell and its sleeping child, standing in for QEMU), prints the pids and
 * waits to be killed.
 */
public final class QemuProcessChild {
    private QemuProcessChild() {
    }

    public static void main(String[] args) throws Exception {
        QemuProcess fake = QemuProcess.start(new ProcessBuilder("sh", "-c", "sleep 600 & wait").redirectErrorStream(true));
        List<ProcessHandle> children;
        do {
            Thread.sleep(10);
            children = fake.process().descendants().toList();
        } while (children.isEmpty());
        System.out.println("pids " + fake.process().pid() + " "
                + children.stream().map(p -> Long.toString(p.pid())).collect(Collectors.joining(" ")));
        System.out.flush();
        Thread.sleep(600_000);
    }
}
