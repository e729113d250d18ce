package dev.libos.hw.pci;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The PCI devices the kernel lists under a sysfs directory ({@link #SYSFS_DEVICES} in a guest; a
 * fake tree in tests). Each device is a directory (a symbolic link in real sysfs) named by its
 * address.
 */
public final class PciBus {
    /** Where Linux lists PCI devices. */
    public static final Path SYSFS_DEVICES = Path.of("/sys/bus/pci/devices");

    private final Path root;

    /** A bus read from {@code root}, a directory of per-device directories. */
    public PciBus(Path root) {
        this.root = root;
    }

    /** The bus of the running system. */
    public static PciBus system() {
        return new PciBus(SYSFS_DEVICES);
    }

    public Path root() {
        return root;
    }

    /**
     * Reads every device, sorted by address. A device whose files are malformed does not stop
     * the scan: it is listed in {@link Scan#unreadable()} with the error naming the file.
     *
     * @throws IOException when the root itself cannot be listed
     */
    public Scan scan() throws IOException {
        List<Path> directories = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path entry : entries) {
                if (Files.isDirectory(entry)) {
                    directories.add(entry);
                }
            }
        }
        directories.sort(null);
        List<PciDevice> devices = new ArrayList<>();
        List<IOException> unreadable = new ArrayList<>();
        for (Path directory : directories) {
            try {
                devices.add(PciDevice.open(directory));
            } catch (IOException e) {
                unreadable.add(e);
            }
        }
        return new Scan(List.copyOf(devices), List.copyOf(unreadable));
    }

    /**
     * The outcome of a scan.
     *
     * @param devices the devices read, sorted by address
     * @param unreadable one error per device that could not be read, naming the file at fault
     */
    public record Scan(List<PciDevice> devices, List<IOException> unreadable) {
    }
}
