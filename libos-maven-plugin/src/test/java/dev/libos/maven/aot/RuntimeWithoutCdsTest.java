package dev.libos.maven.aot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.maven.image.CpioEntry;
import dev.libos.maven.image.RuntimeImage;
import dev.libos.maven.image.SegmentWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeWithoutCdsTest {
    @TempDir
    Path dir;

    @Test
    void theCdsArchiveGoesAndEverythingElseStaysAsItWas() throws Exception {
        CpioEntry java = CpioEntry.file("jvm/bin/java", CpioEntry.Content.of("elf".getBytes()), true);
        CpioEntry other = CpioEntry.file("jvm/lib/server/libjvm.so", CpioEntry.Content.of("so!".getBytes()), false);
        Path with = dir.resolve("with.cpio.gz");
        SegmentWriter.write(List.of(CpioEntry.directory("jvm"), java,
                CpioEntry.file(RuntimeWithoutCds.CDS_ARCHIVE, CpioEntry.Content.of(new byte[1001]), false), other), 1, with);
        Path without = dir.resolve("without.cpio.gz");
        // The expected segment: the same entries without the archive, with the inodes they had.
        SegmentWriter.write(List.of(CpioEntry.directory("jvm"), java, other), 1, without);
        RuntimeImage.Segment out = RuntimeWithoutCds.of(new RuntimeImage.Segment(with, 0), dir.resolve("cache"));
        Path extracted = Files.createDirectories(dir.resolve("x"));
        CpioExtractor.extract(out.file(), "jvm", extracted);
        assertEquals("elf", Files.readString(extracted.resolve("jvm/bin/java")));
        assertEquals("so!", Files.readString(extracted.resolve("jvm/lib/server/libjvm.so")));
        assertTrue(Files.notExists(extracted.resolve(RuntimeWithoutCds.CDS_ARCHIVE)));
        assertTrue(out.unpackedBytes() > 0);
        assertEquals(out, RuntimeWithoutCds.of(new RuntimeImage.Segment(with, 0), dir.resolve("cache")), "cached");
        assertTrue(Files.size(out.file()) < Files.size(with));
        assertTrue(Files.size(without) > 0);
    }

    @Test
    void aSegmentThatIsNotCpioIsAnError() throws Exception {
        Path bad = dir.resolve("bad.cpio.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(bad))) {
            out.write(new byte[200]);
        }
        var e = assertThrows(java.io.IOException.class, () -> RuntimeWithoutCds.of(new RuntimeImage.Segment(bad, 0), dir));
        assertTrue(e.getMessage().contains("newc"), e.getMessage());
    }
}
