package dev.libos.core.guest;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The file systems a guest mounts at boot, in order: /proc, /sys, /dev (devtmpfs, over the
 * initramfs's /dev that holds only the console) and then hugetlbfs on /dev/hugepages, whose
 * mount point exists only once devtmpfs is there.
 */
public final class GuestMounts {
    /** MS_NOSUID | MS_NOEXEC | MS_NODEV for the pseudo file systems. */
    private static final long PSEUDO_FLAGS = 0x2 | 0x8 | 0x4;
    private static final long MS_NOSUID = 0x2;

    /**
     * One mount.
     *
     * @param source     device or name
     * @param target     mount point (created when missing)
     * @param type       file system type
     * @param flags      MS_* flags
     * @param data       options, or null
     */
    public record Mount(String source, String target, String type, long flags, String data) {
    }

    /** The mounts, in the order they are made. */
    public static final List<Mount> MOUNTS = List.of(
            new Mount("proc", "/proc", "proc", PSEUDO_FLAGS, null),
            new Mount("sysfs", "/sys", "sysfs", PSEUDO_FLAGS, null),
            new Mount("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755"),
            new Mount("hugetlbfs", "/dev/hugepages", "hugetlbfs", MS_NOSUID, null));

    private GuestMounts() {
    }

    /**
     * Mounts everything in {@link #MOUNTS}; a failure is printed on {@code console} and does not
     * stop the others.
     *
     * @return how many mounts failed
     */
    public static int mountAll(LinuxCalls calls, List<Mount> mounts, PrintStream console) {
        int failed = 0;
        for (Mount mount : mounts) {
            try {
                Files.createDirectories(Path.of(mount.target()));
            } catch (IOException | UnsupportedOperationException e) {
                console.println("libos: cannot create mount point " + mount.target() + ": " + e);
                failed++;
                continue;
            }
            int errno = calls.mount(mount.source(), mount.target(), mount.type(), mount.flags(), mount.data());
            if (errno != LinuxCalls.OK) {
                console.println("libos: mount " + mount.type() + " on " + mount.target() + " failed: errno " + errno);
                failed++;
            }
        }
        return failed;
    }
}
