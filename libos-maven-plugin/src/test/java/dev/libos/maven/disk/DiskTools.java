package dev.libos.maven.disk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the host's disk tools (gdisk, dosfstools, mtools, binutils) for the tests, which skip without them. */
final class DiskTools {
    record Result(int code, String output) {
    }

    private DiskTools() {
    }

    static boolean has(String binary) {
        return dev.libos.maven.qemu.QemuCommand.find(binary) != null;
    }

    static boolean hasStub() {
        return Files.isRegularFile(Path.of(UnifiedKernelImage.DEFAULT_STUB)) && has("objcopy");
    }

    static Result run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish");
        }
        return new Result(process.exitValue(), output);
    }
}
