package dev.libos.guest;

import dev.libos.api.device.BlockDevice;
import dev.libos.vfs.Vfs;
import dev.libos.vfs.VfsException;
import dev.libos.vfs.cowfs.CowFs;
import dev.libos.vfs.imagefs.ImageFs;
import dev.libos.vfs.ramfs.RamFs;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides what each disk found at boot becomes, and mounts it in a new {@link Vfs} whose root is
 * a ramfs:
 * <ul>
 *   <li>{@value GuestVolumes#FILES_ID}: imagefs, read-only, at {@value GuestVolumes#FILES_MOUNT_POINT};</li>
 *   <li>{@value GuestVolumes#STATE_ID}: cowfs at {@value GuestVolumes#STATE_MOUNT_POINT}. A volume whose
 *       two superblock slots (blocks 0 and 1) are all zero has never held a file system (a new sparse
 *       file, or a power cut inside mkfs, which clears both slots first): it is formatted. Anything
 *       else is mounted, and a volume that does not mount is reported ({@link VolumeDamagedException})
 *       and left untouched: never reformatted, since it may hold the only copy of the state;</li>
 *   <li>any other disk stays unmounted, for the application ({@link GuestStorage#disk}).</li>
 * </ul>
 * A mount point exists only when its volume is mounted, so without a state volume a write to
 * {@code /data/x} fails with ENOENT instead of landing in memory. Both file systems use
 * {@link GuestVolumes#BLOCK_BYTES} blocks, through {@link BlockSizeAdapter} on 512-byte disks.
 */
public final class VolumeMounter {
    private VolumeMounter() {
    }

    /**
     * Mounts {@code disks}, printing one line per disk on {@code console}.
     *
     * @throws VolumeDamagedException when the files or state volume cannot be mounted (the
     *         message names it, the errno and what to do)
     * @throws IOException when two disks carry the same well-known id, or formatting fails
     */
    public static GuestStorage mount(List<Disk> disks, PrintStream console) throws IOException {
        Vfs vfs = new Vfs(new RamFs());
        List<Volume> volumes = new ArrayList<>();
        Map<String, BlockDevice> unmounted = new LinkedHashMap<>();
        Map<String, Disk> known = new LinkedHashMap<>();
        for (Disk disk : disks) {
            boolean wellKnown = disk.id().equals(GuestVolumes.FILES_ID) || disk.id().equals(GuestVolumes.STATE_ID);
            Disk earlier = wellKnown ? known.putIfAbsent(disk.id(), disk) : null;
            if (earlier != null) {
                throw new IOException("two disks have the id " + disk.id() + " (" + earlier.origin() + ", " + disk.origin()
                        + "): which one to mount is ambiguous");
            }
            if (!wellKnown) {
                String key = disk.id().isEmpty() ? disk.device().name() : disk.id();
                unmounted.putIfAbsent(key, disk.device());
                console.println("libos: storage: " + describe(disk) + ": not a libos volume, left to the application as '" + key + "'");
            }
        }
        try {
            Disk files = known.get(GuestVolumes.FILES_ID);
            if (files != null) {
                volumes.add(mountFiles(vfs, files, console));
            }
            Disk state = known.get(GuestVolumes.STATE_ID);
            if (state != null) {
                volumes.add(mountState(vfs, state, console));
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly(vfs);
            throw e;
        }
        return new GuestStorage(vfs, volumes, unmounted);
    }

    private static Volume mountFiles(Vfs vfs, Disk disk, PrintStream console) throws IOException {
        BlockDevice device = fsBlocks(disk);
        ImageFs fs;
        try {
            fs = ImageFs.mount(device);
        } catch (VfsException e) {
            throw new VolumeDamagedException(describe(disk) + ": the files volume does not mount (" + e.getMessage()
                    + "); rebuild the image (mvn package)", e);
        }
        mountAt(vfs, GuestVolumes.FILES_MOUNT_POINT, fs);
        console.println("libos: storage: " + describe(disk) + ": imagefs on " + GuestVolumes.FILES_MOUNT_POINT
                + " (read-only, " + device.blockCount() + " blocks of " + device.blockSize() + ")");
        return new Volume(disk.id(), GuestVolumes.FILES_MOUNT_POINT, "imagefs", true, false, device.blockCount(), disk.origin());
    }

    private static Volume mountState(Vfs vfs, Disk disk, PrintStream console) throws IOException {
        BlockDevice device = fsBlocks(disk);
        boolean blank = neverFormatted(device);
        if (blank) {
            console.println("libos: storage: " + describe(disk) + ": blank, making a cowfs (" + device.blockCount()
                    + " blocks of " + device.blockSize() + ")");
            try {
                CowFs.mkfs(device);
            } catch (VfsException | IllegalArgumentException e) {
                throw new IOException(describe(disk) + ": mkfs failed: " + e.getMessage(), e);
            }
        }
        CowFs fs;
        try {
            fs = CowFs.mount(device);
        } catch (VfsException e) {
            throw new VolumeDamagedException(describe(disk) + ": the state volume holds data but not a cowfs that mounts ("
                    + e.getMessage() + "). It was NOT reformatted and is left as it is; copy it off the host to"
                    + " inspect it, or start afresh with -Dlibos.state.reset=true (its data is then lost)", e);
        }
        mountAt(vfs, GuestVolumes.STATE_MOUNT_POINT, fs);
        console.println("libos: storage: " + describe(disk) + ": cowfs on " + GuestVolumes.STATE_MOUNT_POINT
                + " (" + (blank ? "new" : "generation " + fs.generation()) + ", " + device.blockCount() + " blocks of "
                + device.blockSize() + ")");
        fs.damagedCommit().ifPresent(damage -> console.println("libos: storage: " + describe(disk)
                + ": READ-ONLY: the newest commit is damaged (" + damage + "); the previous one is mounted and"
                + " nothing is written. Copy the volume off the host to inspect it, or start afresh with"
                + " -Dlibos.state.reset=true (its data is then lost)"));
        return new Volume(disk.id(), GuestVolumes.STATE_MOUNT_POINT, "cowfs", fs.isReadOnly(), blank, device.blockCount(),
                disk.origin());
    }

    /**
     * True when both superblock slots are all zero. cowfs's mkfs clears both before writing
     * generation 1, and every later commit leaves a valid superblock in one slot, so only a
     * volume that never completed a mkfs looks like this.
     */
    static boolean neverFormatted(BlockDevice device) throws IOException {
        if (device.blockCount() < 2) {
            return false; // too small for cowfs: mount reports it
        }
        MemorySegment slots = MemorySegment.ofArray(new byte[2 * device.blockSize()]);
        device.read(0, slots);
        for (long i = 0; i < slots.byteSize(); i += 8) {
            if (slots.get(ValueLayout.JAVA_LONG_UNALIGNED, i) != 0) {
                return false;
            }
        }
        return true;
    }

    private static BlockDevice fsBlocks(Disk disk) throws IOException {
        try {
            return BlockSizeAdapter.of(disk.device(), GuestVolumes.BLOCK_BYTES);
        } catch (IllegalArgumentException e) {
            throw new VolumeDamagedException(describe(disk) + ": " + e.getMessage(), e);
        }
    }

    private static void mountAt(Vfs vfs, String mountPoint, dev.libos.vfs.spi.FileSystem fs) throws IOException {
        try {
            vfs.mkdir(mountPoint);
            vfs.mount(mountPoint, fs);
        } catch (VfsException e) {
            throw new IOException("mounting " + fs.type() + " on " + mountPoint + ": " + e.getMessage(), e);
        }
    }

    private static String describe(Disk disk) {
        return (disk.id().isEmpty() ? "disk without id" : disk.id()) + " (" + disk.origin() + ")";
    }

    private static void closeQuietly(Vfs vfs) {
        try {
            vfs.close();
        } catch (VfsException e) {
            // Already failing: the caller reports the first error, which is the one that matters.
        }
    }
}
