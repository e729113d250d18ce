package dev.libos.guest;

import dev.libos.api.LibOS;
import dev.libos.api.device.BlockDevice;
import dev.libos.hw.virtio.VirtioBlkDevice;
import dev.libos.vfs.MountInfo;
import dev.libos.vfs.Vfs;
import dev.libos.vfs.VfsException;
import dev.libos.vfs.devfs.DevFs;
import dev.libos.vfs.procfs.ProcFs;
import java.util.List;

/**
 * The pseudo file systems of the guest's VFS: libos's procfs on {@value #PROC} (threads, memory,
 * cpus from the kernel; {@code mounts}; {@code disks}, one line per disk with its driver's
 * counters) and devfs on {@value #DEV}. They live in the libos VFS, reachable as
 * {@code libos://guest/proc/...}; plain {@code /proc} in java.nio stays Linux's, which the JVM
 * itself reads. Applications add files with {@link GuestStorage#proc()}.
 */
final class GuestProcFiles {
    static final String PROC = "/proc";
    static final String DEV = "/dev";

    private GuestProcFiles() {
    }

    /** Mounts procfs and devfs in {@code vfs}; returns the procfs, for more files. */
    static ProcFs mount(Vfs vfs, LibOS os, List<Disk> disks) throws VfsException {
        ProcFs proc = new ProcFs(os)
                .register("mounts", () -> mounts(vfs.mounts()))
                .register("disks", () -> disks(disks));
        vfs.mkdir(PROC);
        vfs.mount(PROC, proc);
        vfs.mkdir(DEV);
        vfs.mount(DEV, DevFs.standard());
        return proc;
    }

    static String mounts(List<MountInfo> mounts) {
        StringBuilder text = new StringBuilder();
        for (MountInfo m : mounts) {
            text.append(m.path()).append(' ').append(m.type()).append(m.readOnly() ? " ro" : " rw").append('\n');
        }
        return text.toString();
    }

    static String disks(List<Disk> disks) {
        StringBuilder text = new StringBuilder();
        for (Disk disk : disks) {
            BlockDevice device = disk.device();
            text.append(disk.id().isEmpty() ? "-" : disk.id()).append(' ').append(device.name())
                    .append(" blocks ").append(device.blockCount()).append(" x ").append(device.blockSize());
            // A partition has no counters of its own: it shows its whole disk's.
            BlockDevice driven = device instanceof PartitionBlockDevice partition ? partition.disk() : device;
            if (driven instanceof VirtioBlkDevice virtio) {
                text.append(' ').append(virtio.counters());
            }
            text.append('\n');
        }
        return text.toString();
    }
}
