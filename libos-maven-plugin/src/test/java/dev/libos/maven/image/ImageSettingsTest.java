package dev.libos.maven.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageSettingsTest {
    private static ImageSettings valid() {
        return new ImageSettings("com.example.Main", null, "512M", 2, List.of(), List.of("-Xmx64m"), null);
    }

    private static String error(ImageSettings settings) {
        return assertThrows(IllegalArgumentException.class, settings::validate).getMessage();
    }

    @Test
    void validSettingsPass() {
        ImageSettings settings = valid().validate();
        assertEquals(512, settings.memoryMiB());
        assertEquals(2048, new ImageSettings("a.B", null, "2G", 1, null, null, null).validate().memoryMiB());
    }

    @Test
    void eachBadValueIsNamedWithItsSetting() {
        assertTrue(error(new ImageSettings("1bad", null, "512M", 2, null, null, null)).contains("mainClass"));
        assertTrue(error(new ImageSettings(null, null, "512M", 2, null, null, null)).contains("mainClass"));
        assertTrue(error(new ImageSettings("a.B", Path.of("/no/such/kernel"), "512M", 2, null, null, null)).contains("kernel"));
        assertTrue(error(new ImageSettings("a.B", null, "512X", 2, null, null, null)).contains("memory"));
        assertTrue(error(new ImageSettings("a.B", null, "64M", 2, null, null, null)).contains("memory must be between"));
        assertTrue(error(new ImageSettings("a.B", null, "512M", 0, null, null, null)).contains("cpus"));
        assertTrue(error(new ImageSettings("a.B", null, "512M", 65, null, null, null)).contains("cpus"));
        assertTrue(error(new ImageSettings("a.B", null, "512M", 2, List.of(Path.of("/no/such/file")), null, null)).contains("extraFiles"));
        assertTrue(error(new ImageSettings("a.B", null, "512M", 2, null, List.of("-Dx=a b"), null)).contains("jvmOptions"));
        assertTrue(error(new ImageSettings("a.B", null, "512M", 2, null, List.of("Xmx1g"), null)).contains("jvmOptions"));
        assertTrue(error(new ImageSettings("a.B", null, "512M", 2, null, null, Path.of("/no/such/dir")))
                .contains("files must name a directory (got '/no/such/dir')"));
    }

    @Test
    void everyBadSettingIsReportedAtOnce() {
        String message = error(new ImageSettings("", null, "x", 0, null, null, null));
        assertTrue(message.contains("mainClass") && message.contains("memory") && message.contains("cpus"), message);
    }

    @Test
    void commandLineStartsTheInitStubAndRejectsOverlongLines() {
        String line = KernelCommandLine.build(List.of("/app/classes"), "a.B", 2, List.of("-Xmx64m"));
        assertTrue(line.contains("rdinit=" + KernelCommandLine.INIT + " "), line);
        String[] halves = line.split(" -- ", 2);
        assertTrue(halves[1].endsWith("-cp /app/classes dev.libos.core.Boot"), line);
        assertTrue(halves[1].contains("-Dlibos.main=a.B") && halves[1].contains("-Xmx64m"), line);
        assertTrue(!halves[0].contains("libos.main"), "JVM arguments stay after --");
        assertTrue((" " + halves[0] + " ").contains(" cryptomgr.notests=1 "), "a kernel parameter, before --: " + line);
        String huge = "-D" + "x".repeat(KernelCommandLine.MAX_BYTES);
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> KernelCommandLine.build(List.of("/app/classes"), "a.B", 2, List.of(huge))).getMessage().contains("jvmOptions"));
    }

    @Test
    void kernelVersionsCompareAsNumbers() {
        var older = new KernelLocator.VersionKey("vmlinuz-6.1.0-9-cloud-amd64");
        var newer = new KernelLocator.VersionKey("vmlinuz-6.1.0-10-cloud-amd64");
        assertTrue(older.compareTo(newer) < 0);
    }

    @Test
    void defaultLookupFindsTheNewestCloudKernel(@org.junit.jupiter.api.io.TempDir Path boot) throws Exception {
        java.nio.file.Files.writeString(boot.resolve("vmlinuz-6.1.0-9-cloud-amd64"), "k");
        java.nio.file.Files.writeString(boot.resolve("vmlinuz-6.1.0-10-cloud-amd64"), "k");
        java.nio.file.Files.writeString(boot.resolve("vmlinuz-6.1.0-11-amd64"), "k");
        assertEquals("vmlinuz-6.1.0-10-cloud-amd64", KernelLocator.findCloudKernel(boot).orElseThrow().getFileName().toString());
        assertTrue(KernelLocator.findCloudKernel(boot.resolve("none")).isEmpty());
    }
}
