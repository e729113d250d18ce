package dev.libos.examples.files;

import dev.libos.api.device.BlockDevice;
import dev.libos.guest.GuestStorage;
import dev.libos.guest.GuestVolumes;
import dev.libos.guest.Volume;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The guest side of bin/vm-files-test. With plain {@code java.nio.file} calls (the image runs in
 * libos-vfs's default-provider mode, so {@code /files} and {@code /data} are libos VFS paths):
 * reads its files from the image's files volume, advances a boot counter on the state volume
 * ({@link BootCounter}), and, when the run attached a raw disk named {@value #SCRATCH_DISK},
 * runs issue 5's pattern check on it ({@link DiskPattern}). Every result is a console line
 * starting {@value #PREFIX}; the exit status (System.exit) is 0 when all passed.
 */
public final class FilesDemo {
    static final String PREFIX = "files-vm: ";
    /** The virtio-blk serial of the raw disk for the pattern check ({@code -Dlibos.disks=scratch=FILE}). */
    static final String SCRATCH_DISK = "scratch";

    private FilesDemo() {
    }

    public static void main(String[] args) {
        PrintStream out = System.out;
        Optional<GuestStorage> found = GuestStorage.current();
        if (found.isEmpty()) {
            out.println(PREFIX + "no guest storage: run the VM image (libos:run), not the hosted jar");
            System.exit(2);
        }
        GuestStorage storage = found.get();
        for (Volume volume : storage.volumes()) {
            out.println(PREFIX + "volume " + volume.id() + " on " + volume.mountPoint() + ": " + volume.type()
                    + (volume.readOnly() ? ", read-only" : "") + (volume.formatted() ? ", formatted at this boot" : ""));
        }
        // Set by the user-data of a NoCloud volume when the run attaches one (bin/vm-files-test's second boot).
        if (System.getProperty("files.cloud") != null) {
            out.println(PREFIX + "cloud config: files.cloud=" + System.getProperty("files.cloud") + ", FILES_CLOUD="
                    + System.getenv("FILES_CLOUD"));
        }
        int failures = 0;
        failures += readImageFiles(out);
        failures += advanceCounter(out);
        failures += checkScratchDisk(storage, out);
        failures += showDiskCounters(out);
        out.println(PREFIX + (failures == 0 ? "all checks passed" : failures + " check(s) FAILED"));
        out.flush();
        System.exit(failures == 0 ? 0 : 1);
    }

    private static int readImageFiles(PrintStream out) {
        try {
            String greeting = Files.readString(Path.of(GuestVolumes.FILES_MOUNT_POINT, "greeting.txt"));
            out.println(PREFIX + "read /files/greeting.txt: " + greeting.strip());
            Properties demo = new Properties();
            demo.load(new StringReader(Files.readString(Path.of(GuestVolumes.FILES_MOUNT_POINT, "conf", "demo.properties"))));
            out.println(PREFIX + "read /files/conf/demo.properties: note=" + demo.getProperty("note"));
            return 0;
        } catch (IOException | RuntimeException e) {
            out.println(PREFIX + "FAILED reading the files volume: " + e);
            return 1;
        }
    }

    private static int advanceCounter(PrintStream out) {
        Path data = Path.of(GuestVolumes.STATE_MOUNT_POINT);
        try {
            BootCounter.Boot boot = BootCounter.advance(data, "left by boot at uptime " + Files.readString(Path.of("/proc/uptime")).split(" ")[0] + " s");
            out.println(PREFIX + "/data: boot " + boot.boot() + (boot.previousNote() == null
                    ? " (no earlier boot on this state volume)" : ", boot " + (boot.boot() - 1) + " " + boot.previousNote()));
            try (Stream<Path> files = Files.list(data)) {
                out.println(PREFIX + "/data holds " + files.map(p -> p.getFileName().toString()).sorted().toList());
            }
            return 0;
        } catch (IOException | RuntimeException e) {
            out.println(PREFIX + "FAILED on the state volume: " + e);
            return 1;
        }
    }

    /** libos's procfs in the guest VFS: one line per disk with its driver's counters. */
    private static int showDiskCounters(PrintStream out) {
        try {
            Path disks = Path.of(URI.create("libos://" + GuestVolumes.NIO_FILE_SYSTEM + "/proc/disks"));
            for (String line : Files.readAllLines(disks)) {
                out.println(PREFIX + "/proc/disks: " + line);
            }
            return 0;
        } catch (IOException | RuntimeException e) {
            out.println(PREFIX + "FAILED reading libos's /proc/disks: " + e);
            return 1;
        }
    }

    private static int checkScratchDisk(GuestStorage storage, PrintStream out) {
        Optional<BlockDevice> disk = storage.disk(SCRATCH_DISK);
        if (disk.isEmpty()) {
            out.println(PREFIX + "no '" + SCRATCH_DISK + "' disk: pattern check skipped");
            return 0;
        }
        try {
            DiskPattern.Request request = DiskPattern.readRequest(disk.get());
            DiskPattern.Result result = DiskPattern.run(disk.get(), request, System::nanoTime);
            out.printf("%spattern seed %d: %d MiB written + flushed in %d ms (%.1f MB/s), read back in %d ms (%.1f MB/s): %s%n",
                    PREFIX, request.seed(), result.bytes() >> 20, result.writeNanos() / 1_000_000, result.writeMegabytesPerSecond(),
                    result.readNanos() / 1_000_000, result.readMegabytesPerSecond(),
                    result.firstMismatch() < 0 ? "verified" : "MISMATCH at byte " + result.firstMismatch());
            return result.firstMismatch() < 0 ? 0 : 1;
        } catch (IOException | RuntimeException e) {
            out.println(PREFIX + "FAILED on the " + SCRATCH_DISK + " disk: " + e);
            return 1;
        }
    }
}
