package dev.libos.maven.disk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GptWriterTest {
    @TempDir
    Path temp;

    private Path disk(long bytes, Guid guid, List<GptPartition> partitions) throws IOException {
        Path file = temp.resolve("disk.raw");
        Files.deleteIfExists(file);
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            raw.setLength(bytes);
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            GptWriter.write(channel, bytes, guid, partitions);
        }
        return file;
    }

    @Test
    void guidsAreStoredMixedEndianAndRoundTrip() {
        Guid esp = GptLayout.ESP_TYPE;
        byte[] bytes = esp.toBytes();
        assertEquals("28732AC11FF8D211BA4B00A0C93EC93B", java.util.HexFormat.of().withUpperCase().formatHex(bytes));
        assertEquals(esp, Guid.fromBytes(bytes, 0));
        Guid derived = Guid.derived("x");
        assertEquals(derived, Guid.derived("x"));
        assertEquals('8', derived.text().charAt(14)); // version 8
    }

    @Test
    void headersAndEntriesCarryValidCrcsInBothCopies() throws IOException {
        long bytes = 64L << 20;
        Path file = disk(bytes, Guid.derived("d"), List.of(partition("a", 2048, 4095), partition("b", 4096, 8191)));
        ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        long last = bytes / 512 - 1;
        for (long lba : new long[] {1, last}) {
            int h = (int) (lba * 512);
            assertEquals(GptLayout.SIGNATURE, all.getLong(h));
            byte[] header = new byte[GptLayout.HEADER_BYTES];
            all.get(h, header);
            int stored = all.getInt(h + GptLayout.H_CRC);
            ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).putInt(GptLayout.H_CRC, 0);
            assertEquals(stored, GptWriter.crc(header, 0, header.length));
            assertEquals(lba, all.getLong(h + GptLayout.H_MY_LBA));
            int entries = (int) (all.getLong(h + GptLayout.H_ENTRIES_LBA) * 512);
            byte[] array = new byte[GptLayout.ENTRY_COUNT * GptLayout.ENTRY_BYTES];
            all.get(entries, array);
            assertEquals(all.getInt(h + GptLayout.H_ENTRIES_CRC), GptWriter.crc(array, 0, array.length));
        }
        assertEquals((byte) 0xEE, all.get(446 + 4));
    }

    @Test
    void sgdiskFindsNoProblemInRandomLayouts() throws Exception {
        assumeTrue(DiskTools.has("sgdisk"), "gdisk not installed");
        long seed = System.nanoTime();
        System.out.println("GptWriterTest seed " + seed);
        Random random = new Random(seed);
        for (int round = 0; round < 5; round++) {
            long bytes = (8L + random.nextInt(200)) << 20;
            long lastUsable = GptWriter.lastUsableLba(bytes);
            List<GptPartition> partitions = new ArrayList<>();
            long at = GptLayout.FIRST_USABLE_LBA + random.nextInt(4000);
            for (int i = 0; i < 1 + random.nextInt(10) && at < lastUsable; i++) {
                long end = Math.min(lastUsable, at + random.nextInt(20_000));
                partitions.add(partition("p" + i, at, end));
                at = end + 1 + random.nextInt(3000);
            }
            Path file = disk(bytes, Guid.derived("seed " + seed + " " + round), partitions);
            DiskTools.Result verify = DiskTools.run("sgdisk", "-v", file.toString());
            assertTrue(verify.code() == 0 && verify.output().contains("No problems found"), "seed " + seed + ": " + verify.output());
            DiskTools.Result print = DiskTools.run("sgdisk", "-p", file.toString());
            for (GptPartition p : partitions) {
                assertTrue(print.output().matches("(?s).*\\s" + p.firstLba() + "\\s+" + p.lastLba() + "\\s.*" + p.name() + ".*"),
                        "seed " + seed + ": " + p + " in " + print.output());
            }
        }
    }

    @Test
    void rejectsPartitionsOutsideTheDiskOrOverlapping() {
        long bytes = 16L << 20;
        long lastUsable = GptWriter.lastUsableLba(bytes);
        assertThrows(IllegalArgumentException.class, () -> disk(bytes, Guid.derived("x"), List.of(partition("a", 2048, lastUsable + 1))));
        assertThrows(IllegalArgumentException.class,
                () -> disk(bytes, Guid.derived("x"), List.of(partition("a", 2048, 3000), partition("b", 3000, 4000))));
        assertThrows(IllegalArgumentException.class, () -> partition("a", 10, 4000));
        assertThrows(IllegalArgumentException.class, () -> partition("x".repeat(37), 2048, 4000));
    }

    private static GptPartition partition(String name, long first, long last) {
        return new GptPartition(name, GptLayout.STATE_TYPE, Guid.derived("unique " + name + first), first, last);
    }
}
