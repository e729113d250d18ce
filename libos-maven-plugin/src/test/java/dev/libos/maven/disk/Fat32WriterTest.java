package dev.libos.maven.disk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Fat32WriterTest {
    @TempDir
    Path temp;

    private Path volume(List<Fat32Writer.Entry> entries, long sectors) throws IOException {
        Path image = temp.resolve("fat.img");
        Files.deleteIfExists(image);
        try (FileChannel channel = FileChannel.open(image, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.allocate(1), sectors * 512 - 1);
            Fat32Writer.write(channel, 0, sectors, 0, 0x12345678, entries);
        }
        return image;
    }

    private List<Fat32Writer.Entry> sampleEntries(long seed) throws IOException {
        Random random = new Random(seed);
        byte[] big = new byte[100_000 + random.nextInt(50_000)];
        random.nextBytes(big);
        byte[] small = new byte[1 + random.nextInt(600)];
        random.nextBytes(small);
        Path bigFile = Files.write(temp.resolve("big"), big);
        Path smallFile = Files.write(temp.resolve("small"), small);
        Path empty = Files.write(temp.resolve("empty"), new byte[0]);
        return List.of(new Fat32Writer.Entry("EFI/BOOT/BOOTX64.EFI", bigFile), new Fat32Writer.Entry("EFI/BOOT/A.TXT", smallFile),
                new Fat32Writer.Entry("EMPTY", empty), new Fat32Writer.Entry("EFI/LIBOS/B-1_2.CFG", smallFile));
    }

    @Test
    void fsckAndMtoolsReadWhatWasWritten() throws Exception {
        assumeTrue(DiskTools.has("fsck.fat") && DiskTools.has("mtype"), "dosfstools and mtools not installed");
        long seed = System.nanoTime();
        System.out.println("Fat32WriterTest seed " + seed);
        List<Fat32Writer.Entry> entries = sampleEntries(seed);
        Path image = volume(entries, Fat32Writer.minimumSectors(entries));
        DiskTools.Result fsck = DiskTools.run("fsck.fat", "-n", "-v", image.toString());
        assertEquals(0, fsck.code(), fsck.output());
        assertTrue(!fsck.output().contains("Auto-") && !fsck.output().contains("differ"), fsck.output());
        for (Fat32Writer.Entry entry : entries) {
            Path out = temp.resolve("out");
            Files.deleteIfExists(out);
            DiskTools.Result copy = DiskTools.run("mcopy", "-n", "-i", image.toString(), "::/" + entry.path(), out.toString());
            assertEquals(0, copy.code(), copy.output());
            assertArrayEquals(Files.readAllBytes(entry.source()), Files.readAllBytes(out), entry.path());
        }
        DiskTools.Result dir = DiskTools.run("mdir", "-i", image.toString(), "::/EFI/BOOT");
        assertTrue(dir.output().contains("BOOTX64  EFI") && dir.output().contains("1980-01-01"), dir.output());
    }

    @Test
    void longNamesAndTheLabelAreWhatMtoolsAndFsckSee() throws Exception {
        assumeTrue(DiskTools.has("fsck.fat") && DiskTools.has("mcopy"), "dosfstools and mtools not installed");
        long seed = System.nanoTime();
        System.out.println("Fat32WriterTest.longNames seed " + seed);
        Random random = new Random(seed);
        List<Fat32Writer.Entry> entries = new java.util.ArrayList<>();
        List<String> names = List.of("meta-data", "user-data", "network-config", "a", "Mixed.Case.txt",
                "a-name-longer-than-twenty-six-characters.yaml", "README.TXT");
        for (String name : names) {
            byte[] content = new byte[random.nextInt(3000)];
            random.nextBytes(content);
            entries.add(new Fat32Writer.Entry("dir/" + name, Files.write(temp.resolve("c-" + name), content)));
            entries.add(new Fat32Writer.Entry(name, temp.resolve("c-" + name)));
        }
        Path image = temp.resolve("cidata.img");
        long sectors = Fat32Writer.minimumSectors(entries);
        try (FileChannel channel = FileChannel.open(image, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.allocate(1), sectors * 512 - 1);
            Fat32Writer.write(channel, 0, sectors, 0, 7, "CIDATA", entries);
        }
        DiskTools.Result fsck = DiskTools.run("fsck.fat", "-n", "-v", image.toString());
        assertEquals(0, fsck.code(), fsck.output());
        assertTrue(!fsck.output().contains("Auto-") && !fsck.output().contains("differ"), fsck.output());
        assertTrue(DiskTools.run("mlabel", "-s", "-i", image.toString(), "::").output().contains("CIDATA"));
        for (Fat32Writer.Entry entry : entries) {
            Path out = temp.resolve("out");
            Files.deleteIfExists(out);
            DiskTools.Result copy = DiskTools.run("mcopy", "-n", "-i", image.toString(), "::/" + entry.path(), out.toString());
            assertEquals(0, copy.code(), "seed " + seed + " " + entry.path() + ": " + copy.output());
            assertArrayEquals(Files.readAllBytes(entry.source()), Files.readAllBytes(out), entry.path());
        }
    }

    @Test
    void equalInputsGiveEqualBytes() throws IOException {
        List<Fat32Writer.Entry> entries = sampleEntries(42);
        long sectors = Fat32Writer.minimumSectors(entries);
        byte[] first = Files.readAllBytes(volume(entries, sectors));
        byte[] second = Files.readAllBytes(volume(entries, sectors));
        assertArrayEquals(first, second);
    }

    @Test
    void minimumSectorsHoldTheContentAndAreFat32() throws IOException {
        List<Fat32Writer.Entry> entries = sampleEntries(7);
        long sectors = Fat32Writer.minimumSectors(entries);
        assertTrue(Fat32Writer.clusters(sectors) >= Fat32Writer.MIN_CLUSTERS);
        assertThrows(IllegalArgumentException.class, () -> volume(entries, Fat32Writer.MIN_CLUSTERS / 2));
    }

    @Test
    void rejectsNamesThatAreNotShortNames() {
        Path any = temp.resolve("x");
        for (String bad : List.of("", "A//B", "a*b", "x:y", ".", "..", "end.", " lead")) {
            assertThrows(IllegalArgumentException.class, () -> new Fat32Writer.Entry(bad, any), bad);
        }
    }
}
