package dev.libos.maven.qemu;

import dev.libos.maven.disk.BootDisk;
import dev.libos.maven.disk.GptPartition;
import dev.libos.maven.disk.GptReader;
import dev.libos.maven.disk.SparseCopy;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code libos:run -Dlibos.boot=uefi}: boots the image's boot disk ({@link BootDisk}) through
 * OVMF, as a cloud or hypervisor would, instead of handing QEMU the kernel.
 * <ul>
 *   <li>Firmware: OVMF's code ({@code libos.ovmf}, read-only) and a fresh copy of its variable
 *       store per run ({@code OVMF_VARS_4M.fd} beside the code), as the two pflash units.</li>
 *   <li>Disk: {@value #RUN_DISK}, a sparse copy of {@code disk.raw} made for each run (the built
 *       image stays as built, so two builds can still be compared), attached as one writable
 *       virtio-blk disk with serial {@value #DISK_ID}.</li>
 *   <li>State: the state partition is loaded from the same state file as a {@code -kernel} run
 *       ({@code libos.state}, kept across runs and {@code mvn clean}) before the boot and saved
 *       back after QEMU exits, so both boot modes see one /data; {@code libos.state.reset} starts
 *       it blank; {@code libos.state=none} boots with a blank partition and keeps nothing.</li>
 *   <li>{@code libos.runDisk=qcow2}: the run boots a copy of the image's qcow2 disk instead (the
 *       format a cloud or KubeVirt is given), attached as {@code format=qcow2}; the state partition
 *       is loaded into it with {@code qemu-io} and read back through {@code qemu-img convert} (qemu-utils),
 *       as the qcow2 format cannot be written in place without QEMU's block layer.</li>
 * </ul>
 */
public final class UefiBoot {
    /** Debian's OVMF code (package ovmf), without Secure Boot keys enrolled. */
    public static final String DEFAULT_OVMF = "/usr/share/OVMF/OVMF_CODE_4M.fd";
    /** The run's copy of the boot disk, under the build directory. */
    public static final String RUN_DISK = "libos-uefi/disk.raw";
    /** The run's copy of the variable store. */
    public static final String RUN_VARS = "libos-uefi/OVMF_VARS.fd";
    /** The boot disk's virtio-blk serial. */
    public static final String DISK_ID = "libos-disk";

    /**
     * The firmware's two flash images.
     *
     * @param code read-only code
     * @param vars the run's writable variable store
     */
    public record Firmware(Path code, Path vars) {
    }

    /** The run's copy of the qcow2 disk ({@code libos.runDisk=qcow2}). */
    public static final String RUN_QCOW2 = "libos-uefi/disk.qcow2";

    /** Which of the image's disks a UEFI run boots ({@code libos.runDisk}). */
    public enum RunDisk {
        RAW, QCOW2;

        /** Parses {@code libos.runDisk}. */
        public static RunDisk parse(String value) {
            return switch (value == null ? "" : value.trim()) {
                case "raw" -> RAW;
                case "qcow2" -> QCOW2;
                default -> throw new IllegalArgumentException("libos.runDisk must be raw or qcow2 (got '" + value + "')");
            };
        }
    }

    private final Path disk;
    private final RunDisk format;
    private final GptPartition statePartition;
    private final Path stateFile;

    private UefiBoot(Path disk, RunDisk format, GptPartition statePartition, Path stateFile) {
        this.disk = disk;
        this.format = format;
        this.statePartition = statePartition;
        this.stateFile = stateFile;
    }

    /** The variable store that goes with {@code code}: {@code OVMF_CODE*.fd} to {@code OVMF_VARS*.fd} in the same directory. */
    static Path varsFor(Path code) {
        String name = code.getFileName().toString();
        return code.resolveSibling(name.contains("CODE") ? name.replace("CODE", "VARS") : "OVMF_VARS.fd");
    }

    /**
     * Checks the firmware and copies its variable store into {@code buildDirectory}.
     *
     * @throws IllegalArgumentException naming {@code libos.ovmf} when the code or its variable store is missing
     */
    public static Firmware firmware(Path code, Path buildDirectory) throws IOException {
        Path vars = varsFor(code);
        if (!Files.isRegularFile(code) || !Files.isRegularFile(vars)) {
            throw new IllegalArgumentException("libos.ovmf: " + (Files.isRegularFile(code) ? vars + " (its variable store)" : code)
                    + " not found; install Debian's ovmf (apt-get install ovmf) or set -Dlibos.ovmf=PATH to OVMF_CODE*.fd");
        }
        Path runVars = buildDirectory.resolve(RUN_VARS);
        Files.createDirectories(runVars.getParent());
        Files.copy(vars, runVars, StandardCopyOption.REPLACE_EXISTING);
        return new Firmware(code, runVars);
    }

    /**
     * Makes the run's disk from the image's {@code disk.raw}, with the state partition loaded from
     * {@code stateFile} (null: blank, nothing kept).
     *
     * @param reset start the state blank ({@code libos.state.reset})
     */
    public static UefiBoot prepare(Path image, Path buildDirectory, Path stateFile, boolean reset, Consumer<String> log)
            throws IOException {
        return prepare(image, buildDirectory, RunDisk.RAW, stateFile, reset, log);
    }

    /**
     * Makes the run's disk in {@code format} from the image's disk of that format, with the state
     * partition loaded from {@code stateFile} (null: blank, nothing kept).
     *
     * @param reset start the state blank ({@code libos.state.reset})
     */
    public static UefiBoot prepare(Path image, Path buildDirectory, RunDisk format, Path stateFile, boolean reset,
            Consumer<String> log) throws IOException {
        if (format == RunDisk.QCOW2) {
            return prepareQcow2(image, buildDirectory, stateFile, reset, log);
        }
        Path built = image.resolve(BootDisk.FILE);
        if (!Files.isRegularFile(built)) {
            throw new IllegalArgumentException("libos.boot=uefi: the image has no boot disk (" + built
                    + "); build it with `package` and libos.disk=true (the default)");
        }
        GptPartition state = GptReader.find(built, BootDisk.STATE_NAME)
                .orElseThrow(() -> new IOException(built + " has no " + BootDisk.STATE_NAME + " partition: rebuild the image"));
        Path disk = buildDirectory.resolve(RUN_DISK);
        Files.createDirectories(disk.getParent());
        Files.deleteIfExists(disk);
        long size = Files.size(built);
        try (RandomAccessFile raw = new RandomAccessFile(disk.toFile(), "rw")) {
            raw.setLength(size);
        }
        try (FileChannel from = FileChannel.open(built); FileChannel to = FileChannel.open(disk, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            SparseCopy.copy(from, 0, to, 0, size);
        }
        if (stateFile != null) {
            StateVolume.Outcome outcome = StateVolume.prepare(stateFile, state.sizeBytes(), reset, log);
            long stateSize = Files.size(stateFile);
            if (stateSize != state.sizeBytes()) {
                throw new IllegalArgumentException("libos.state: " + stateFile + " is " + stateSize + " bytes, the boot disk's state"
                        + " partition " + state.sizeBytes() + " (libos.state.size when the image was built): run with"
                        + " -Dlibos.state.reset=true for a new one (its data is lost), or rebuild with that libos.state.size");
            }
            log.accept("state volume " + stateFile + " (" + outcome.name().toLowerCase(java.util.Locale.ROOT)
                    + "), loaded into partition " + BootDisk.STATE_NAME);
            try (FileChannel from = FileChannel.open(stateFile); FileChannel to = FileChannel.open(disk, StandardOpenOption.READ,
                    StandardOpenOption.WRITE)) {
                SparseCopy.copy(from, 0, to, state.offsetBytes(), state.sizeBytes());
            }
        }
        return new UefiBoot(disk, RunDisk.RAW, state, stateFile);
    }

    private static UefiBoot prepareQcow2(Path image, Path buildDirectory, Path stateFile, boolean reset, Consumer<String> log)
            throws IOException {
        Path built = image.resolve(BootDisk.FILE);
        Path source = imageQcow2(image);
        // disk.raw is the qcow2's source (libos.formats): its partition table gives the state partition's place.
        GptPartition state = GptReader.find(built, BootDisk.STATE_NAME)
                .orElseThrow(() -> new IOException(built + " has no " + BootDisk.STATE_NAME + " partition: rebuild the image"));
        Path disk = buildDirectory.resolve(RUN_QCOW2);
        Files.createDirectories(disk.getParent());
        Files.copy(source, disk, StandardCopyOption.REPLACE_EXISTING);
        if (stateFile != null) {
            requireMebibyteAligned(state);
            StateVolume.Outcome outcome = StateVolume.prepare(stateFile, state.sizeBytes(), reset, log);
            if (Files.size(stateFile) != state.sizeBytes()) {
                throw new IllegalArgumentException("libos.state: " + stateFile + " is " + Files.size(stateFile) + " bytes, the boot disk's"
                        + " state partition " + state.sizeBytes() + ": run with -Dlibos.state.reset=true for a new one (its data is lost)");
            }
            QemuImageTools.writeAt(disk, stateFile, state.offsetBytes(), state.sizeBytes());
            log.accept("state volume " + stateFile + " (" + outcome.name().toLowerCase(java.util.Locale.ROOT)
                    + "), loaded into partition " + BootDisk.STATE_NAME + " of " + disk.getFileName() + " (qcow2)");
        }
        return new UefiBoot(disk, RunDisk.QCOW2, state, stateFile);
    }

    /** The image's one {@code *.qcow2} disk ({@code libos.formats} writes it as ARTIFACT.qcow2). */
    static Path imageQcow2(Path image) throws IOException {
        List<Path> found;
        try (var files = Files.list(image)) {
            found = files.filter(f -> f.getFileName().toString().endsWith(".qcow2")).sorted().toList();
        }
        if (found.size() != 1) {
            throw new IllegalArgumentException("libos.runDisk=qcow2: the image " + image + " has " + (found.isEmpty() ? "no" : found.size())
                    + " .qcow2 disk" + (found.isEmpty() ? "; build it with qcow2 among -Dlibos.formats (the default)" : "s: " + found));
        }
        return found.get(0);
    }

    private static void requireMebibyteAligned(GptPartition state) {
        if (state.offsetBytes() % QemuImageTools.BLOCK != 0 || state.sizeBytes() % QemuImageTools.BLOCK != 0) {
            throw new IllegalArgumentException("libos.runDisk=qcow2 needs a state partition on whole MiB (libos.state.size);"
                    + " this one is " + state.sizeBytes() + " bytes at " + state.offsetBytes());
        }
    }

    /** The drives to attach: the run's disk. */
    public List<QemuDrives.Drive> drives() {
        return List.of(new QemuDrives.Drive(DISK_ID, disk, false, format == RunDisk.QCOW2 ? "qcow2" : "raw"));
    }

    /** After QEMU exited: saves the state partition back to the state file. */
    public void saveState() throws IOException {
        if (stateFile == null) {
            return;
        }
        if (format == RunDisk.QCOW2) {
            QemuImageTools.readInto(disk, statePartition.offsetBytes(), statePartition.sizeBytes(), stateFile);
            return;
        }
        try (FileChannel from = FileChannel.open(disk); FileChannel to = FileChannel.open(stateFile, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            SparseCopy.copy(from, statePartition.offsetBytes(), to, 0, statePartition.sizeBytes());
            to.force(true);
        }
    }
}
