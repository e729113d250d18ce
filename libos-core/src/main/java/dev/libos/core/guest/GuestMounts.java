package dev.libos.core.guest;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The file systems a guest mounts at boot, in order: /proc, /sys, /dev (devtmpfs, over the
 * initramfs's /dev that holds only the console) and then hugetlbfs on /dev/hugepages, whose
 * mount point exists only once devtmpfs is there.
 *
 * <p>The image's init stub (the plugin's {@code InitStub}, the same list) mounts them before it
 * execs the JVM; {@link #mountMissing} then mounts only what it could not, so a JVM started
 * directly as init ({@code rdinit=/jvm/bin/java}) still gets all four.
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
     * Mounts those of {@code mounts} whose target is not a mount point in {@code procMounts}.
     *
     * @param procMounts the text of {@code /proc/self/mounts} (fstab format: source, target,
     *                   type, options, two numbers), or null when it could not be read (/proc
     *                   is not mounted yet): then everything is mounted
     * @return how many mounts failed
     */
    public static int mountMissing(LinuxCalls calls, List<Mount> mounts, String procMounts, PrintStream console) {
        Set<String> mounted = mountPoints(procMounts);
        List<Mount> missing = mounts.stream().filter(mount -> !mounted.contains(mount.target())).toList();
        return missing.isEmpty() ? 0 : mountAll(calls, missing, console);
    }

    /** The mount points listed in {@code procMounts} (null: none); malformed lines are skipped. */
    static Set<String> mountPoints(String procMounts) {
        Set<String> targets = new HashSet<>();
        if (procMounts != null) {
            for (String line : procMounts.split("\n")) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length >= 3) {
                    targets.add(fields[1]);
                }
            }
        }
        return targets;
    }

    /**
     * Mounts everything in {@code mounts}; a failure is printed on {@code console} and does not
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
