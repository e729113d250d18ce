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

    private final Path disk;
    private final GptPartition statePartition;
    private final Path stateFile;

    private UefiBoot(Path disk, GptPartition statePartition, Path stateFile) {
        this.disk = disk;
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
        return new UefiBoot(disk, state, stateFile);
    }

    /** The drives to attach: the run's disk. */
    public List<QemuDrives.Drive> drives() {
        return List.of(new QemuDrives.Drive(DISK_ID, disk, false));
    }

    /** After QEMU exited: saves the state partition back to the state file. */
    public void saveState() throws IOException {
        if (stateFile == null) {
            return;
        }
        try (FileChannel from = FileChannel.open(disk); FileChannel to = FileChannel.open(stateFile, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            SparseCopy.copy(from, statePartition.offsetBytes(), to, 0, statePartition.sizeBytes());
            to.force(true);
        }
    }
}
