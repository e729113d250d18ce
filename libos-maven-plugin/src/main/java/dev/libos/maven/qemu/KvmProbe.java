package dev.libos.maven.qemu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Decides whether KVM can run this kernel, by trying: /dev/kvm must be readable and writable,
 * and the kernel must get as far as looking for its init under {@code accel=kvm} (it is given
 * none, so it panics, which QEMU turns into a clean exit with {@code -no-reboot}). Some hosts
 * offer a /dev/kvm that only paravirtual guests can use; QEMU then fails at once.
 */
public final class KvmProbe {
    /** Device node of KVM. */
    public static final Path DEVICE = Path.of("/dev/kvm");
    /** What the kernel prints when it reached init and found none. */
    static final String REACHED_INIT = "Kernel panic";

    private KvmProbe() {
    }

    /**
     * @param qemu          the QEMU binary
     * @param kernel        the kernel to try
     * @param timeoutMillis how long the trial may run
     * @return true when KVM booted the kernel to its init
     */
    public static boolean usable(String qemu, Path kernel, long timeoutMillis) throws IOException {
        if (!Files.isReadable(DEVICE) || !Files.isWritable(DEVICE)) {
            return false;
        }
        List<String> command = List.of(qemu, "-machine", "q35,accel=kvm", "-cpu", "host", "-m", "128M",
                "-display", "none", "-monitor", "none", "-serial", "stdio", "-nic", "none", "-no-reboot",
                "-kernel", kernel.toString(), "-append", "console=ttyS0 panic=-1 rdinit=/libos-kvm-probe");
        try (QemuProcess trial = QemuProcess.start(new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))))) {
            return trial(trial.process(), timeoutMillis);
        }
    }

    private static boolean trial(Process process, long timeoutMillis) {
        StringBuilder output = new StringBuilder();
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try {
                output.append(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                // the process ended
            }
        });
        try {
            boolean ended = process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS);
            if (!ended) {
                process.destroyForcibly().waitFor();
            }
            reader.join(1000);
            return ended && process.exitValue() == 0 && output.toString().contains(REACHED_INIT);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
