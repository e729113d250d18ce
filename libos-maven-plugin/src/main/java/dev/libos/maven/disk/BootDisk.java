package dev.libos.maven.disk;

import dev.libos.maven.image.Sha256;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The image's self-contained boot disk ({@value #FILE}): a raw GPT disk ({@link GptWriter}) that
 * UEFI firmware boots with no {@code -kernel}, as clouds and hypervisors boot a disk:
 * <pre>
 * LBA 0..2047        protective MBR, primary GPT (then unused up to 1 MiB)
 * partition 1        "EFI System Partition", FAT32 ({@link Fat32Writer}) holding only
 *                    EFI/BOOT/BOOTX64.EFI, the unified kernel image ({@link UnifiedKernelImage}:
 *                    kernel, initramfs and command line)
 * partition 2        "libos-files" (type {@link GptLayout#FILES_TYPE}), the files volume's
 *                    imagefs bytes exactly as files.img; only when the image has a files volume
 * partition 3        "libos-state" (type {@link GptLayout#STATE_TYPE}), all zero: the guest
 *                    makes a cowfs on it at first boot
 * rest               unallocated up to the backup GPT at the end of the disk
 * </pre>
 * Every partition starts on a 1 MiB boundary. The file is sparse on the host (unwritten ranges
 * are holes). The disk GUID, the partitions' unique GUIDs and the FAT volume id derive from the
 * content's SHA-256 digests and the sizes ({@link Guid#derived}), so equal inputs give equal bytes.
 */
public final class BootDisk {
    /** The disk's file name in the image directory. */
    public static final String FILE = "disk.raw";
    /** The ESP's partition name. */
    public static final String ESP_NAME = "EFI System Partition";
    /** The files volume's partition name (libos-guest looks for it, with the type). */
    public static final String FILES_NAME = "libos-files";
    /** The state volume's partition name. */
    public static final String STATE_NAME = "libos-state";
    /** Where firmware looks for a removable disk's loader on x86-64 (UEFI 2.10 section 3.5.1.1). */
    public static final String LOADER_PATH = "EFI/BOOT/BOOTX64.EFI";

    /**
     * What the disk is made from.
     *
     * @param diskBytes   the disk's size ({@code libos.diskSize})
     * @param stateBytes  the state partition's size ({@code libos.state.size})
     * @param efiStub     systemd-stub ({@code libos.efiStub})
     * @param objcopy     objcopy ({@code libos.objcopy})
     */
    public record Settings(long diskBytes, long stateBytes, Path efiStub, String objcopy) {
    }

    /**
     * Where the partitions are.
     *
     * @param diskBytes the disk's size
     * @param esp       the EFI system partition
     * @param files     the files partition, null without a files volume
     * @param state     the state partition
     */
    public record Layout(long diskBytes, GptPartition esp, GptPartition files, GptPartition state) {
        /** The partitions in table order. */
        public List<GptPartition> partitions() {
            List<GptPartition> all = new ArrayList<>(List.of(esp));
            if (files != null) {
                all.add(files);
            }
            all.add(state);
            return all;
        }
    }

    private BootDisk() {
    }

    /**
     * Checks the settings that do not depend on the content.
     *
     * @throws IllegalArgumentException naming the setting
     */
    public static void check(Settings settings) {
        if (!Files.isRegularFile(settings.efiStub())) {
            throw new IllegalArgumentException("libos.efiStub: " + settings.efiStub() + " not found; it is systemd-stub, which"
                    + " Debian's package systemd-boot-efi installs (apt-get install systemd-boot-efi), or set -Dlibos.efiStub=PATH"
                    + " (or -Dlibos.disk=false for no boot disk)");
        }
        if (dev.libos.maven.qemu.QemuCommand.find(settings.objcopy()) == null) {
            throw new IllegalArgumentException("libos.objcopy: " + settings.objcopy() + " not found on the PATH; install binutils"
                    + " (apt-get install binutils) or set -Dlibos.objcopy=PATH (or -Dlibos.disk=false for no boot disk)");
        }
        if (settings.diskBytes() % (1L << 20) != 0) {
            throw new IllegalArgumentException("libos.diskSize must be a whole number of MiB (got " + settings.diskBytes() + " bytes)");
        }
    }

    /**
     * Writes the disk to {@code output}.
     *
     * @param kernel      the image's kernel
     * @param initramfs   the image's initramfs
     * @param commandLine the kernel command line
     * @param filesVolume the files volume, or null
     * @return the layout written
     * @throws IllegalArgumentException naming {@code libos.diskSize} when the content does not fit
     */
    public static Layout write(Settings settings, Path kernel, Path initramfs, String commandLine, Path filesVolume, Path output)
            throws IOException {
        check(settings);
        Path work = Files.createTempDirectory(output.toAbsolutePath().getParent(), "disk-work");
        try {
            Path uki = work.resolve("BOOTX64.EFI");
            UnifiedKernelImage.build(settings.efiStub(), settings.objcopy(), kernel, initramfs, commandLine, uki, work);
            String seed = "libos boot disk 1 " + Sha256.of(uki) + " " + (filesVolume == null ? "-" : Sha256.of(filesVolume))
                    + " " + settings.diskBytes() + " " + settings.stateBytes();
            Guid diskGuid = Guid.derived(seed);
            List<Fat32Writer.Entry> espFiles = List.of(new Fat32Writer.Entry(LOADER_PATH, uki));
            Layout layout = layout(settings, Fat32Writer.minimumSectors(espFiles),
                    filesVolume == null ? -1 : Files.size(filesVolume), diskGuid);
            Files.deleteIfExists(output);
            try (RandomAccessFile raw = new RandomAccessFile(output.toFile(), "rw")) {
                raw.setLength(settings.diskBytes());
            }
            try (FileChannel disk = FileChannel.open(output, StandardOpenOption.WRITE)) {
                GptWriter.write(disk, settings.diskBytes(), diskGuid, layout.partitions());
                GptPartition esp = layout.esp();
                int volumeId = (int) Long.parseLong(Guid.derived(seed + " esp volume id").text().substring(0, 8), 16);
                Fat32Writer.write(disk, esp.offsetBytes(), esp.sectors(), esp.firstLba(), volumeId, espFiles);
                if (filesVolume != null) {
                    try (FileChannel in = FileChannel.open(filesVolume)) {
                        long size = in.size();
                        for (long done = 0; done < size; ) {
                            done += in.transferTo(done, size - done, disk.position(layout.files().offsetBytes() + done));
                        }
                    }
                }
            }
            return layout;
        } finally {
            try (var leftovers = Files.list(work)) {
                for (Path p : (Iterable<Path>) leftovers::iterator) {
                    Files.delete(p);
                }
            }
            Files.delete(work);
        }
    }

    /**
     * Places the partitions: ESP of {@code espSectors}, files of {@code filesBytes} (negative:
     * none), state of the configured size, each on the next 1 MiB boundary.
     *
     * @throws IllegalArgumentException naming {@code libos.diskSize} when they do not fit
     */
    static Layout layout(Settings settings, long espSectors, long filesBytes, Guid diskGuid) {
        long at = GptLayout.ALIGNMENT_SECTORS;
        GptPartition esp = new GptPartition(ESP_NAME, GptLayout.ESP_TYPE, Guid.derived(diskGuid + " " + ESP_NAME), at,
                nextBoundary(at + espSectors) - 1);
        at = nextBoundary(esp.lastLba() + 1);
        GptPartition files = null;
        if (filesBytes >= 0) {
            long sectors = Math.max(1, (filesBytes + GptLayout.SECTOR_BYTES - 1) / GptLayout.SECTOR_BYTES);
            files = new GptPartition(FILES_NAME, GptLayout.FILES_TYPE, Guid.derived(diskGuid + " " + FILES_NAME), at, at + sectors - 1);
            at = nextBoundary(files.lastLba() + 1);
        }
        long stateSectors = settings.stateBytes() / GptLayout.SECTOR_BYTES;
        GptPartition state = new GptPartition(STATE_NAME, GptLayout.STATE_TYPE, Guid.derived(diskGuid + " " + STATE_NAME), at,
                at + stateSectors - 1);
        long neededBytes = Math.multiplyExact(state.lastLba() + 1 + GptLayout.ENTRY_ARRAY_SECTORS + 1, (long) GptLayout.SECTOR_BYTES);
        if (neededBytes > settings.diskBytes()) {
            long mib = (neededBytes + (1 << 20) - 1) >> 20;
            throw new IllegalArgumentException("libos.diskSize: the content needs a disk of at least " + mib + "M (EFI system partition "
                    + (esp.sizeBytes() >> 20) + " MiB, files " + (files == null ? 0 : files.sizeBytes() >> 20) + " MiB, state "
                    + (state.sizeBytes() >> 20) + " MiB from libos.state.size), got " + (settings.diskBytes() >> 20) + "M");
        }
        return new Layout(settings.diskBytes(), esp, files, state);
    }

    private static long nextBoundary(long lba) {
        return (lba + GptLayout.ALIGNMENT_SECTORS - 1) / GptLayout.ALIGNMENT_SECTORS * GptLayout.ALIGNMENT_SECTORS;
    }
}
