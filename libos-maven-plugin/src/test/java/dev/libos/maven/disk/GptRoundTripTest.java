package dev.libos.maven.disk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.libos.guest.Disk;
import dev.libos.guest.DiskPartitions;
import dev.libos.guest.GptPartitions;
import dev.libos.guest.GuestStorage;
import dev.libos.guest.GuestVolumes;
import dev.libos.guest.VolumeMounter;
import dev.libos.hw.hosted.block.MemoryBlockDevice;
import dev.libos.maven.image.FilesVolume;
import dev.libos.vfs.OpenFlags;
import dev.libos.vfs.Vfs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the plugin's {@link GptWriter} writes, libos-guest's {@link GptPartitions} reads back; and nothing else gets through. */
class GptRoundTripTest {
    @TempDir
    Path temp;

    private byte[] write(long bytes, List<GptPartition> partitions) throws IOException {
        Path file = temp.resolve("disk.raw");
        Files.deleteIfExists(file);
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            raw.setLength(bytes);
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            GptWriter.write(channel, bytes, Guid.derived("round trip"), partitions);
        }
        return Files.readAllBytes(file);
    }

    private static MemoryBlockDevice device(byte[] bytes) throws IOException {
        MemoryBlockDevice device = new MemoryBlockDevice("vda", 512, bytes.length / 512);
        device.write(0, MemorySegment.ofArray(bytes));
        return device;
    }

    private static List<GptPartition> randomLayout(Random random, long bytes) {
        long lastUsable = GptWriter.lastUsableLba(bytes);
        List<GptPartition> partitions = new ArrayList<>();
        long at = GptLayout.FIRST_USABLE_LBA + random.nextInt(100);
        for (int i = 0; i < 1 + random.nextInt(12) && at <= lastUsable; i++) {
            long end = Math.min(lastUsable, at + random.nextInt(3000));
            Guid type = random.nextBoolean() ? GptLayout.FILES_TYPE : Guid.derived("type " + random.nextInt());
            partitions.add(new GptPartition("part-" + i, type, Guid.derived("u" + i + " " + random.nextLong()), at, end));
            at = end + 1 + random.nextInt(500);
        }
        return partitions;
    }

    @Test
    void randomLayoutsReadBackExactly() throws IOException {
        long seed = System.nanoTime();
        System.out.println("GptRoundTripTest.randomLayoutsReadBackExactly seed " + seed);
        Random random = new Random(seed);
        for (int round = 0; round < 25; round++) {
            long bytes = (1L + random.nextInt(8)) << 20;
            List<GptPartition> written = randomLayout(random, bytes);
            GptPartitions.Outcome outcome = GptPartitions.read(device(write(bytes, written)));
            GptPartitions.Found found = assertInstanceOf(GptPartitions.Found.class, outcome, "seed " + seed);
            assertEquals(written.size(), found.partitions().size(), "seed " + seed);
            for (int i = 0; i < written.size(); i++) {
                GptPartition w = written.get(i);
                GptPartitions.Partition r = found.partitions().get(i);
                assertEquals(w.name(), r.name(), "seed " + seed);
                assertEquals(w.firstLba(), r.firstLba(), "seed " + seed);
                assertEquals(w.lastLba(), r.lastLba(), "seed " + seed);
                assertArrayEquals(w.type().toBytes(), r.type(), "seed " + seed);
            }
        }
    }

    @Test
    void theGuestsTypeConstantsAreTheWritersOnes() {
        assertArrayEquals(GptLayout.FILES_TYPE.toBytes(), GptPartitions.FILES_TYPE);
        assertArrayEquals(GptLayout.STATE_TYPE.toBytes(), GptPartitions.STATE_TYPE);
        assertEquals(GuestVolumes.FILES_ID, BootDisk.FILES_NAME);
        assertEquals(GuestVolumes.STATE_ID, BootDisk.STATE_NAME);
    }

    @Test
    void aDamagedPrimaryFallsBackToTheBackup() throws IOException {
        byte[] disk = write(4L << 20, List.of(new GptPartition("a", GptLayout.STATE_TYPE, Guid.derived("a"), 2048, 4095)));
        disk[512 + 60] ^= 1; // the disk GUID: the header CRC no longer matches
        GptPartitions.Found found = assertInstanceOf(GptPartitions.Found.class, GptPartitions.read(device(disk)));
        assertTrue(found.fromBackup() && found.primaryProblem().contains("header CRC32"), found.toString());
        assertEquals(2048, found.partitions().get(0).firstLba());
    }

    @Test
    void hostileFieldsWithValidCrcsAreRejectedNamingTheField() throws IOException {
        record Case(int offset, long value, boolean isLong, String expected) {
        }
        List<Case> cases = List.of(new Case(GptLayout.H_ENTRY_COUNT, 0xFFFFFFFFL, false, "entry count"),
                new Case(GptLayout.H_ENTRY_SIZE, 0, false, "entry size"),
                new Case(GptLayout.H_ENTRY_SIZE, 129, false, "entry size"),
                new Case(GptLayout.H_ENTRIES_LBA, Long.MAX_VALUE - 3, true, "entry array"),
                new Case(GptLayout.H_ENTRIES_LBA, 100, true, "entry array"),
                new Case(GptLayout.H_LAST_USABLE, -1, true, "usable range"),
                new Case(GptLayout.H_SIZE, 1 << 20, false, "header size"),
                new Case(GptLayout.H_MY_LBA, 5, true, "MyLBA"));
        for (Case c : cases) {
            byte[] disk = write(4L << 20, List.of(new GptPartition("a", GptLayout.STATE_TYPE, Guid.derived("a"), 2048, 4095)));
            long last = disk.length / 512 - 1;
            for (long lba : new long[] {1, last}) {
                ByteBuffer h = ByteBuffer.wrap(disk, (int) (lba * 512), 512).slice().order(ByteOrder.LITTLE_ENDIAN);
                if (c.isLong()) {
                    h.putLong(c.offset(), c.value());
                } else {
                    h.putInt(c.offset(), (int) c.value());
                }
                resealHeader(h);
            }
            GptPartitions.Rejected rejected = assertInstanceOf(GptPartitions.Rejected.class, GptPartitions.read(device(disk)), c.toString());
            assertTrue(rejected.reason().contains(c.expected()), c + ": " + rejected.reason());
        }
    }

    @Test
    void overlappingOrOutOfRangeEntriesWithValidCrcsAreRejected() throws IOException {
        byte[] disk = write(4L << 20, List.of(new GptPartition("a", GptLayout.STATE_TYPE, Guid.derived("a"), 2048, 4095),
                new GptPartition("b", GptLayout.STATE_TYPE, Guid.derived("b"), 4096, 5000)));
        long last = disk.length / 512 - 1;
        for (long lba : new long[] {1, last}) {
            ByteBuffer h = ByteBuffer.wrap(disk, (int) (lba * 512), 512).slice().order(ByteOrder.LITTLE_ENDIAN);
            int entries = (int) (h.getLong(GptLayout.H_ENTRIES_LBA) * 512);
            ByteBuffer.wrap(disk).order(ByteOrder.LITTLE_ENDIAN).putLong(entries + 128 + GptLayout.E_FIRST_LBA, 3000);
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(disk, entries, GptLayout.ENTRY_COUNT * GptLayout.ENTRY_BYTES);
            h.putInt(GptLayout.H_ENTRIES_CRC, (int) crc.getValue());
            resealHeader(h);
        }
        GptPartitions.Rejected rejected = assertInstanceOf(GptPartitions.Rejected.class, GptPartitions.read(device(disk)));
        assertTrue(rejected.reason().contains("overlap"), rejected.reason());
    }

    private static void resealHeader(ByteBuffer h) {
        h.putInt(GptLayout.H_CRC, 0);
        int size = Math.min(512, Math.max(92, h.getInt(GptLayout.H_SIZE)));
        byte[] header = new byte[size];
        h.get(0, header);
        h.putInt(GptLayout.H_CRC, GptWriter.crc(header, 0, size));
    }

    @Test
    void fuzzedTablesNeverCrashAndWhatPassesIsInsideTheDisk() throws IOException {
        long seed = System.nanoTime();
        System.out.println("GptRoundTripTest.fuzzedTablesNeverCrashAndWhatPassesIsInsideTheDisk seed " + seed);
        Random random = new Random(seed);
        long bytes = 1L << 20;
        byte[] valid = write(bytes, randomLayout(random, bytes));
        int sectors = valid.length / 512;
        for (int round = 0; round < 1000; round++) {
            byte[] disk = valid.clone();
            for (int flips = 1 + random.nextInt(8); flips > 0; flips--) {
                int sector = random.nextBoolean() ? random.nextInt(34) : sectors - 1 - random.nextInt(33);
                disk[sector * 512 + random.nextInt(512)] = (byte) random.nextInt(256);
            }
            GptPartitions.Outcome outcome;
            try {
                outcome = GptPartitions.read(device(disk));
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + " round " + round + ": " + e, e);
            }
            if (outcome instanceof GptPartitions.Found found) {
                for (GptPartitions.Partition p : found.partitions()) {
                    if (p.firstLba() < GptLayout.FIRST_USABLE_LBA || p.lastLba() >= sectors - 1 || p.lastLba() < p.firstLba()) {
                        fail("seed " + seed + " round " + round + ": " + p);
                    }
                }
            }
        }
    }

    @Test
    void theGuestMountsTheFilesAndStatePartitionsOfOneDisk() throws IOException, dev.libos.vfs.VfsException {
        Path tree = Files.createDirectories(temp.resolve("tree"));
        Files.writeString(tree.resolve("hello.txt"), "from the files partition");
        Path filesImage = temp.resolve("files.img");
        long filesBytes = FilesVolume.write(tree, filesImage);
        long bytes = 16L << 20;
        long filesSectors = filesBytes / 512;
        GptPartition files = new GptPartition(BootDisk.FILES_NAME, GptLayout.FILES_TYPE, Guid.derived("f"), 2048, 2047 + filesSectors);
        GptPartition state = new GptPartition(BootDisk.STATE_NAME, GptLayout.STATE_TYPE, Guid.derived("s"), 4096, 4096 + 16383);
        byte[] disk = write(bytes, List.of(files, state));
        System.arraycopy(Files.readAllBytes(filesImage), 0, disk, (int) files.offsetBytes(), (int) filesBytes);
        MemoryBlockDevice device = device(disk);
        ByteArrayOutputStream consoleBytes = new ByteArrayOutputStream();
        PrintStream console = new PrintStream(consoleBytes, true, StandardCharsets.UTF_8);
        List<Disk> disks = DiskPartitions.expand(List.of(new Disk("libos-disk", device, "test")), console);
        assertEquals(List.of(GuestVolumes.FILES_ID, GuestVolumes.STATE_ID), disks.stream().map(Disk::id).toList());
        GuestStorage storage = VolumeMounter.mount(disks, console);
        Vfs vfs = storage.vfs();
        assertEquals("from the files partition", read(vfs, "/files/hello.txt"));
        int fd = vfs.open("/data/kept", OpenFlags.O_WRONLY | OpenFlags.O_CREAT);
        vfs.write(fd, ByteBuffer.wrap("state".getBytes(StandardCharsets.UTF_8)));
        vfs.close(fd);
        storage.sync();
        vfs.close();
        // The files partition is untouched by the state partition's writes, and the next boot sees the state.
        byte[] after = new byte[disk.length];
        device.read(0, MemorySegment.ofArray(after));
        assertArrayEquals(Files.readAllBytes(filesImage),
                java.util.Arrays.copyOfRange(after, (int) files.offsetBytes(), (int) (files.offsetBytes() + filesBytes)));
        GuestStorage again = VolumeMounter.mount(DiskPartitions.expand(List.of(new Disk("", device(after), "test")), console), console);
        assertEquals("state", read(again.vfs(), "/data/kept"));
        assertTrue(consoleBytes.toString(StandardCharsets.UTF_8).contains("boot disk, volumes on partitions libos-files, libos-state"));
    }

    private static String read(Vfs vfs, String path) throws dev.libos.vfs.VfsException {
        int fd = vfs.open(path, OpenFlags.O_RDONLY);
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        vfs.read(fd, buffer);
        vfs.close(fd);
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
    }
}
