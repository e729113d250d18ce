package dev.libos.maven.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the stub on this host (Linux x86-64 only) with mounts that cannot succeed anywhere (an
 * unknown file system type): never the guest's own list, which would mount over this host's
 * /proc, /sys and /dev when the tests run as root.
 */
class InitStubTest {
    @TempDir
    Path dir;

    @Test
    void makesTheMountPointsThenExecsTheProgramWithItsArgumentsAndEnvironment() throws Exception {
        assumeLinuxX8664();
        Path target = dir.resolve("mnt");
        byte[] stub = InitStub.of(List.of(new InitStub.Mount("none", target.toString(), "libos-no-such-fs", 0, "mode=0755")),
                "/usr/bin/printenv");
        ProcessBuilder builder = new ProcessBuilder(write(stub).toString(), "LIBOS_STUB_TEST", "HOME");
        builder.environment().clear();
        builder.environment().put("LIBOS_STUB_TEST", "from the stub's envp");
        builder.environment().put("HOME", "/nowhere");
        Process process = builder.redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), output);
        assertEquals("from the stub's envp\n/nowhere\n", output);
        assertTrue(Files.isDirectory(target), "mkdir(2) of the mount point ran before the failed mount");
    }

    @Test
    void aProgramThatCannotBeExecutedEndsTheStubWithStatus127() throws Exception {
        assumeLinuxX8664();
        Process process = new ProcessBuilder(write(InitStub.of(List.of(), "/libos/no/such/program")).toString())
                .redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        assertEquals(InitStub.EXEC_FAILED_STATUS, process.waitFor());
    }

    @Test
    void theGuestStubIsAnElfExecutableAndTheSameEveryTime() {
        byte[] stub = InitStub.guest();
        assertArrayEquals(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1}, java.util.Arrays.copyOf(stub, 7));
        assertArrayEquals(stub, InitStub.guest());
        String text = new String(stub, StandardCharsets.ISO_8859_1);
        assertTrue(text.contains(KernelCommandLine.JAVA + "\0") && text.contains("devtmpfs\0") && text.contains("/dev/hugepages\0"),
                "the strings the code points at are in the file");
    }

    @Test
    void aRelativeProgramIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InitStub.of(List.of(), "java"));
        assertTrue(e.getMessage().contains("java"), e.getMessage());
    }

    private Path write(byte[] stub) throws IOException {
        Path file = dir.resolve("init");
        Files.write(file, stub);
        assertTrue(file.toFile().setExecutable(true));
        return file;
    }

    private static void assumeLinuxX8664() {
        assumeTrue(System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64"),
                "the stub is x86-64 Linux code");
    }
}
