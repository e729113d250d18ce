package dev.libos.maven.aot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.maven.image.CpioEntry;
import dev.libos.maven.image.SegmentWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AotTrainingTest {
    @TempDir
    Path dir;

    @Test
    void theJvmWordsAreThoseAfterTheSeparatorWithTheClassPathUnderTheStage() {
        String line = "console=ttyS0 rdinit=/jvm/bin/java -- -XX:-UsePerfData -Dlibos.main=a.B -cp /app/classes.jar:/libos/x.jar dev.libos.core.Boot";
        List<String> words = AotTraining.jvmWords(line);
        assertEquals(List.of("-XX:-UsePerfData", "-Dlibos.main=a.B", "-cp", "/app/classes.jar:/libos/x.jar", "dev.libos.core.Boot"), words);
        assertEquals(List.of("-XX:-UsePerfData", "-Dlibos.main=a.B", "-cp", "/s/app/classes.jar:/s/libos/x.jar", "dev.libos.core.Boot"),
                AotTraining.relocated(words, Path.of("/s")));
        assertThrows(IllegalArgumentException.class, () -> AotTraining.jvmWords("console=ttyS0"));
        assertThrows(IllegalArgumentException.class, () -> AotTraining.relocated(List.of("-Da=b", "Main"), Path.of("/s")));
    }

    @Test
    void aTrainingTimeOutsideItsRangeIsAnErrorNamingTheSetting() {
        var e = assertThrows(IllegalArgumentException.class, () -> new AotTraining(dir, 0, s -> { }));
        assertTrue(e.getMessage().startsWith("libos.aot.trainingSeconds"), e.getMessage());
    }

    @Test
    void theClassesJarDependsOnlyOnTheFiles() throws Exception {
        Path classes = Files.createDirectories(dir.resolve("classes/a/b"));
        Files.writeString(classes.resolve("C.class"), "c");
        Files.writeString(dir.resolve("classes/a/A.class"), "a");
        byte[] first = ClassesJar.of(dir.resolve("classes"));
        Files.setLastModifiedTime(classes.resolve("C.class"), FileTime.fromMillis(123_456_789_000L));
        assertArrayEquals(first, ClassesJar.of(dir.resolve("classes")), "mtimes do not change the jar");
        try (ZipInputStream zip = new ZipInputStream(new java.io.ByteArrayInputStream(first))) {
            StringBuilder names = new StringBuilder();
            for (var entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                names.append(entry.getName()).append(' ');
            }
            assertEquals("a/ a/A.class a/b/ a/b/C.class ", names.toString());
        }
    }

    @Test
    void theRuntimeTreeComesBackOutOfItsSegmentWithModesAndLinks() throws Exception {
        Path segment = dir.resolve("runtime.cpio.gz");
        SegmentWriter.write(List.of(CpioEntry.directory("jvm"), CpioEntry.directory("jvm/bin"),
                CpioEntry.file("jvm/bin/java", CpioEntry.Content.of("elf".getBytes()), true),
                CpioEntry.symlink("jvm/lib", "bin"),
                CpioEntry.file("lib/other", CpioEntry.Content.of("x".getBytes()), false),
                CpioEntry.characterDevice("dev/console", 5, 1)), 1, segment);
        Path out = Files.createDirectories(dir.resolve("out"));
        CpioExtractor.extract(segment, "jvm", out);
        assertEquals("elf", Files.readString(out.resolve("jvm/bin/java")));
        assertTrue(Files.isExecutable(out.resolve("jvm/bin/java")));
        assertEquals(Path.of("bin"), Files.readSymbolicLink(out.resolve("jvm/lib")));
        assertTrue(Files.notExists(out.resolve("lib/other")), "only the prefix");
    }
}
