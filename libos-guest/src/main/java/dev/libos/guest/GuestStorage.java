package dev.libos.guest;

import dev.libos.api.device.BlockDevice;
import dev.libos.vfs.Vfs;
import dev.libos.vfs.VfsException;
import dev.libos.vfs.procfs.ProcFs;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the guest's boot made of its disks: the VFS with the mounted volumes and libos's procfs
 * and devfs, and the disks it left to the application. {@link #current()} is the one published by {@link StorageBootHook}.
 */
public final class GuestStorage {
    private static volatile GuestStorage current;

    private final Vfs vfs;
    private final List<Volume> volumes;
    private final Map<String, BlockDevice> disks;
    private volatile ProcFs proc;

    GuestStorage(Vfs vfs, List<Volume> volumes, Map<String, BlockDevice> disks) {
        this.vfs = vfs;
        this.volumes = List.copyOf(volumes);
        this.disks = Map.copyOf(disks);
    }

    /** The storage the boot set up; empty hosted, or before the storage hook ran. */
    public static Optional<GuestStorage> current() {
        return Optional.ofNullable(current);
    }

    static void publish(GuestStorage storage) {
        current = storage;
    }

    /** The guest's VFS: a ramfs root with the volumes mounted. */
    public Vfs vfs() {
        return vfs;
    }

    void attachProc(ProcFs procFs) {
        proc = procFs;
    }

    /**
     * libos's procfs, mounted on /proc of {@link #vfs()} ({@code libos://guest/proc/...}): add
     * files for the application's own counters with {@link ProcFs#register}. Empty before boot
     * mounted it.
     */
    public Optional<ProcFs> proc() {
        return Optional.ofNullable(proc);
    }

    /** The volumes mounted, files volume first. */
    public List<Volume> volumes() {
        return volumes;
    }

    /** The volume mounted at {@code mountPoint}. */
    public Optional<Volume> volumeAt(String mountPoint) {
        return volumes.stream().filter(v -> v.mountPoint().equals(mountPoint)).findFirst();
    }

    /** Disks left unmounted, by id (or device name when the disk has no id). */
    public Map<String, BlockDevice> disks() {
        return disks;
    }

    /** The unmounted disk with id {@code id}. */
    public Optional<BlockDevice> disk(String id) {
        return Optional.ofNullable(disks.get(id));
    }

    /** Commits every mounted writable file system (cowfs: one commit, one device flush). */
    public void sync() throws VfsException {
        vfs.sync();
    }
}
