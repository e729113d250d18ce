package dev.libos.guest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.hw.hosted.block.MemoryBlockDevice;
import dev.libos.vfs.Errno;
import dev.libos.vfs.OpenFlags;
import dev.libos.vfs.Vfs;
import dev.libos.vfs.VfsException;
import dev.libos.vfs.imagefs.ImageWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The boot-time mount decisions over hosted block devices with 512-byte sectors, like virtio-blk's. */
class VolumeMounterTest {
    private static final int SECTOR = 512;
    private final ByteArrayOutputStream consoleBytes = new ByteArrayOutputStream();
    private final PrintStream console = new PrintStream(consoleBytes, true, StandardCharsets.UTF_8);

    private String console() {
        return consoleBytes.toString(StandardCharsets.UTF_8);
    }

    private static MemoryBlockDevice blankDisk(String name, int mebibytes) {
        return new MemoryBlockDevice(name, SECTOR, (long) mebibytes * 2048);
    }

    private static Disk state(MemoryBlockDevice device) {
        return new Disk(GuestVolumes.STATE_ID, device, "test " + device.name());
    }

    private static void writeFile(Vfs vfs, String path, String text) throws VfsException {
        int fd = vfs.open(path, OpenFlags.O_WRONLY | OpenFlags.O_CREAT | OpenFlags.O_TRUNC);
        vfs.write(fd, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        vfs.fsync(fd);
        vfs.close(fd);
    }

    private static String readFile(Vfs vfs, String path) throws VfsException {
        int fd = vfs.open(path, OpenFlags.O_RDONLY);
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        vfs.read(fd, buffer);
        vfs.close(fd);
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
    }

    @Test
    void blankStateVolumeIsFormattedAndWhatWasSyncedIsThereAtTheNextBoot() throws IOException, VfsException {
        MemoryBlockDevice disk = blankDisk("vda", 8);
        GuestStorage first = VolumeMounter.mount(List.of(state(disk)), console);
        Volume volume = first.volumeAt(GuestVolumes.STATE_MOUNT_POINT).orElseThrow();
        assertTrue(volume.formatted());
        assertEquals("cowfs", volume.type());
        assertEquals(8 * 256, volume.blocks(), "8 MiB in 4 KiB blocks");
        writeFile(first.vfs(), "/data/counter", "1");
        assertTrue(console().contains("libos-state (test vda): blank, making a cowfs"), console());

        // Next boot: same disk, no mkfs, the synced file is there.
        GuestStorage second = VolumeMounter.mount(List.of(state(disk)), console);
        assertFalse(second.volumeAt(GuestVolumes.STATE_MOUNT_POINT).orElseThrow().formatted());
        assertEquals("1", readFile(second.vfs(), "/data/counter"));
        assertTrue(console().contains("cowfs on /data (generation"), console());
    }

    @Test
    void damagedStateVolumeIsReportedAndLeftUntouched() throws IOException, VfsException {
        MemoryBlockDevice disk = blankDisk("vdb", 8);
        writeFile(VolumeMounter.mount(List.of(state(disk)), console).vfs(), "/data/precious", "only copy");
        byte[] image = disk.contents();
        // A bit flipped in each superblock slot: no valid superblock, but clearly not blank.
        image[26] ^= 0x10; // the generation field, under the superblock's checksum
        image[4096 + 26] ^= 0x10;
        disk.load(image);

        VolumeDamagedException e = assertThrows(VolumeDamagedException.class,
                () -> VolumeMounter.mount(List.of(state(disk)), console));
        assertTrue(e.getMessage().contains("libos-state (test vdb)") && e.getMessage().contains("EUCLEAN")
                && e.getMessage().contains("NOT reformatted") && e.getMessage().contains("libos.state.reset"), e.getMessage());
        assertArrayEquals(image, disk.contents(), "not one byte written");
    }

    @Test
    void stateVolumeHoldingSomethingElseIsNotFormattedEither() {
        MemoryBlockDevice disk = blankDisk("vdc", 1);
        byte[] ext4ish = disk.contents();
        ext4ish[1024 + 56] = 0x53; // any non-zero byte in the first two 4 KiB blocks
        ext4ish[1024 + 57] = (byte) 0xef;
        disk.load(ext4ish);
        assertThrows(VolumeDamagedException.class, () -> VolumeMounter.mount(List.of(state(disk)), console));
        assertArrayEquals(ext4ish, disk.contents());
    }

    @Test
    void filesVolumeIsMountedReadOnly() throws IOException, VfsException {
        byte[] image = new ImageWriter().addFile("/greeting.txt", "hello from the image\n".getBytes(StandardCharsets.UTF_8))
                .addFile("/conf/app.properties", "a=1\n".getBytes(StandardCharsets.UTF_8)).toBytes(GuestVolumes.BLOCK_BYTES);
        MemoryBlockDevice disk = new MemoryBlockDevice("vdd", SECTOR, image.length / SECTOR);
        disk.load(image);
        GuestStorage storage = VolumeMounter.mount(List.of(new Disk(GuestVolumes.FILES_ID, disk, "test vdd")), console);

        assertEquals("hello from the image\n", readFile(storage.vfs(), "/files/greeting.txt"));
        assertEquals("a=1\n", readFile(storage.vfs(), "/files/conf/app.properties"));
        VfsException e = assertThrows(VfsException.class, () -> writeFile(storage.vfs(), "/files/new", "x"));
        assertEquals(Errno.EROFS, e.errno());
        assertTrue(storage.volumeAt(GuestVolumes.FILES_MOUNT_POINT).orElseThrow().readOnly());
    }

    @Test
    void damagedFilesVolumeIsAClearError() {
        byte[] image = new ImageWriter().addFile("/a", new byte[10]).toBytes(GuestVolumes.BLOCK_BYTES);
        image[20] ^= 1; // inside the header's checksummed bytes
        MemoryBlockDevice disk = new MemoryBlockDevice("vde", SECTOR, image.length / SECTOR);
        disk.load(image);
        VolumeDamagedException e = assertThrows(VolumeDamagedException.class,
                () -> VolumeMounter.mount(List.of(new Disk(GuestVolumes.FILES_ID, disk, "test vde")), console));
        assertTrue(e.getMessage().contains("libos-files (test vde)") && e.getMessage().contains("header checksum"), e.getMessage());
    }

    @Test
    void otherDisksStayUnmountedAndMissingVolumesHaveNoMountPoint() throws IOException {
        MemoryBlockDevice scratch = blankDisk("vdf", 1);
        MemoryBlockDevice anonymous = blankDisk("vdg", 1);
        GuestStorage storage = VolumeMounter.mount(List.of(new Disk("scratch", scratch, "test vdf"),
                new Disk("", anonymous, "test vdg")), console);
        assertSame(scratch, storage.disk("scratch").orElseThrow());
        assertSame(anonymous, storage.disk("vdg").orElseThrow(), "a disk without id goes by its device name");
        assertEquals(List.of(), storage.volumes());
        assertEquals(0, scratch.contents()[0], "untouched");
        // Without a state volume, /data does not exist: a write fails instead of landing in memory.
        VfsException e = assertThrows(VfsException.class, () -> writeFile(storage.vfs(), "/data/counter", "1"));
        assertEquals(Errno.ENOENT, e.errno());
    }

    @Test
    void twoDisksWithTheSameWellKnownIdAreRefused() {
        IOException e = assertThrows(IOException.class, () -> VolumeMounter.mount(List.of(state(blankDisk("vdh", 1)),
                state(blankDisk("vdi", 1))), console));
        assertTrue(e.getMessage().contains("two disks have the id libos-state"), e.getMessage());
    }
}
