package dev.libos.hw.pci;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds a fake {@code /sys/bus/pci/devices} tree in a temporary directory, one device at a time. */
final class FakeSysfs {
    private final Path root;

    FakeSysfs(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    /** A device directory with the given ids, a 256-byte config space echoing them, and no BARs. */
    Device device(String address, int vendor, int device, int classCode) throws IOException {
        Path directory = Files.createDirectories(root.resolve(address));
        Device fake = new Device(directory);
        fake.write("vendor", String.format("0x%04x%n", vendor));
        fake.write("device", String.format("0x%04x%n", device));
        fake.write("class", String.format("0x%06x%n", classCode));
        fake.write("revision", "0x01\n");
        fake.write("subsystem_vendor", "0x1af4\n");
        fake.write("subsystem_device", "0x1100\n");
        fake.config.putShort(PciConfigSpace.VENDOR_ID, (short) vendor);
        fake.config.putShort(PciConfigSpace.DEVICE_ID, (short) device);
        fake.resources.append(line(0, 0, 0).repeat(13));
        fake.flush();
        return fake;
    }

    static String line(long start, long end, long flags) {
        return String.format("0x%016x 0x%016x 0x%016x%n", start, end, flags);
    }

    static final class Device {
        final Path directory;
        final ByteBuffer config = ByteBuffer.allocate(PciConfigSpace.SIZE).order(ByteOrder.LITTLE_ENDIAN);
        StringBuilder resources = new StringBuilder();

        Device(Path directory) {
            this.directory = directory;
        }

        void write(String file, String content) throws IOException {
            Files.writeString(directory.resolve(file), content);
        }

        /** Sets the resource file to {@code lines} followed by unused entries. */
        void resources(String... lines) throws IOException {
            resources = new StringBuilder(String.join("", lines));
            resources.append(line(0, 0, 0).repeat(13 - lines.length));
            flush();
        }

        /** Writes config space and the resource file. */
        void flush() throws IOException {
            Files.write(directory.resolve("config"), config.array());
            write("resource", resources.toString());
        }

        byte[] configOnDisk() throws IOException {
            return Files.readAllBytes(directory.resolve("config"));
        }

        void bindKernelDriver(String name) throws IOException {
            Path driver = Files.createDirectories(directory.getParent().resolve("../drivers/" + name).normalize());
            Files.createSymbolicLink(directory.resolve("driver"), driver);
        }
    }
}
