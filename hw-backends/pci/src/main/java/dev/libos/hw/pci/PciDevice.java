package dev.libos.hw.pci;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One PCI function, reached through its sysfs directory ({@code /sys/bus/pci/devices/0000:00:03.0}):
 * identity, BAR resources, the bound kernel driver, configuration space through the {@code config}
 * file, and BARs mapped into this process through {@code resourceN}.
 *
 * <p>Configuration space is little-endian (PCI 3.0, section 6.1). Every access opens the file for
 * the one read or write: these are set-up-time operations, and the kernel serialises them. A
 * file shorter than the access (an unprivileged reader sees only the first 64 bytes) is reported
 * as a {@link MalformedSysfsException} naming the file and offset.
 */
public final class PciDevice {
    /** Most capabilities a 256-byte configuration space can hold; a longer walk is a loop. */
    private static final int MAX_CAPABILITIES = (PciConfigSpace.SIZE - PciConfigSpace.FIRST_CAPABILITY_OFFSET) / 4;
    private static final int BAR_COUNT = 6;

    private final Path directory;
    private final PciIds ids;
    private final List<BarResource> resources;

    private PciDevice(Path directory, PciIds ids, List<BarResource> resources) {
        this.directory = directory;
        this.ids = ids;
        this.resources = resources;
    }

    /**
     * Reads the device in {@code directory}: its ids and its resource file.
     *
     * @throws MalformedSysfsException when a file is missing or garbled, naming it
     */
    public static PciDevice open(Path directory) throws IOException {
        PciIds ids = new PciIds(
                (int) SysfsText.readHex(directory.resolve("vendor")),
                (int) SysfsText.readHex(directory.resolve("device")),
                (int) SysfsText.readHex(directory.resolve("class")),
                (int) SysfsText.readHex(directory.resolve("revision")),
                (int) SysfsText.readHex(directory.resolve("subsystem_vendor")),
                (int) SysfsText.readHex(directory.resolve("subsystem_device")));
        Path resourceFile = directory.resolve("resource");
        List<BarResource> resources = ResourceFile.parse(SysfsText.read(resourceFile), resourceFile);
        return new PciDevice(directory, ids, resources);
    }

    /** The device's address, the name of its directory ({@code 0000:00:03.0}). */
    public String address() {
        return directory.getFileName().toString();
    }

    /** Its sysfs directory. */
    public Path directory() {
        return directory;
    }

    /** The ids read when the device was opened. */
    public PciIds ids() {
        return ids;
    }

    /** Every line of the resource file, BARs first (index 0 to 5). */
    public List<BarResource> resources() {
        return resources;
    }

    /**
     * BAR {@code index} as the kernel assigned it (an unused BAR has size 0).
     *
     * @throws IllegalArgumentException for an index outside 0..5
     */
    public BarResource bar(int index) {
        if (index < 0 || index >= BAR_COUNT) {
            throw new IllegalArgumentException("BAR index must be 0..5: " + index);
        }
        return index < resources.size() ? resources.get(index) : new BarResource(index, 0, 0, 0);
    }

    /** The kernel driver bound to the device now (the {@code driver} link's target), if any. */
    public Optional<String> kernelDriver() throws IOException {
        Path link = directory.resolve("driver");
        if (!Files.isSymbolicLink(link)) {
            return Optional.empty();
        }
        Path target = Files.readSymbolicLink(link).getFileName();
        return target == null ? Optional.empty() : Optional.of(target.toString());
    }

    /** Reads the byte at {@code offset} of configuration space (aligned to its size). */
    public int readConfig8(int offset) throws IOException {
        return readConfig(offset, 1).get(0) & 0xff;
    }

    /** Reads the 16-bit word at {@code offset} of configuration space (aligned to its size). */
    public int readConfig16(int offset) throws IOException {
        return readConfig(offset, 2).getShort(0) & 0xffff;
    }

    /** Reads the 32-bit word at {@code offset} of configuration space (aligned to its size). */
    public int readConfig32(int offset) throws IOException {
        return readConfig(offset, 4).getInt(0);
    }

    /** Writes the low bits of {@code value} as the byte at {@code offset} (aligned to its size). */
    public void writeConfig8(int offset, int value) throws IOException {
        writeConfig(offset, ByteBuffer.allocate(1).put(0, (byte) value));
    }

    /** Writes the low bits of {@code value} as the 16-bit word at {@code offset} (aligned to its size). */
    public void writeConfig16(int offset, int value) throws IOException {
        writeConfig(offset, ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort(0, (short) value));
    }

    /** Writes the low bits of {@code value} as the 32-bit word at {@code offset} (aligned to its size). */
    public void writeConfig32(int offset, int value) throws IOException {
        writeConfig(offset, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, value));
    }

    /**
     * Sets bus mastering (command register bit 2) and memory-space decoding (bit 1), so the
     * device may do DMA and answer BAR accesses. A read-modify-write of the 16-bit command
     * register that keeps every other bit.
     */
    public void enableBusMastering() throws IOException {
        int command = readConfig16(PciConfigSpace.COMMAND);
        int wanted = command | PciConfigSpace.COMMAND_BUS_MASTER | PciConfigSpace.COMMAND_MEMORY_SPACE;
        if (wanted != command) {
            writeConfig16(PciConfigSpace.COMMAND, wanted);
        }
    }

    /**
     * Walks the capability list from the pointer at 0x34. Empty when the status register says
     * there is no list.
     *
     * @throws MalformedSysfsException for a pointer into the header or past the end, or a loop
     */
    public List<PciCapability> capabilities() throws IOException {
        List<PciCapability> capabilities = new ArrayList<>();
        if ((readConfig16(PciConfigSpace.STATUS) & PciConfigSpace.STATUS_CAPABILITIES_LIST) == 0) {
            return capabilities;
        }
        // The low two bits of every pointer are reserved (PCI 3.0, section 6.7).
        int offset = readConfig8(PciConfigSpace.CAPABILITIES_POINTER) & 0xfc;
        while (offset != 0) {
            if (offset < PciConfigSpace.FIRST_CAPABILITY_OFFSET) {
                throw new MalformedSysfsException(configFile(),
                        "capability pointer 0x" + Integer.toHexString(offset) + " points into the header");
            }
            if (capabilities.size() == MAX_CAPABILITIES) {
                throw new MalformedSysfsException(configFile(), "capability list loops (more than "
                        + MAX_CAPABILITIES + " entries)");
            }
            int id = readConfig8(offset + PciConfigSpace.CAPABILITY_ID);
            capabilities.add(new PciCapability(id, offset));
            offset = readConfig8(offset + PciConfigSpace.CAPABILITY_NEXT) & 0xfc;
        }
        return capabilities;
    }

    /**
     * The vendor-specific capabilities (id 0x09) in virtio's layout, in list order.
     *
     * @throws MalformedSysfsException when one is shorter than 16 bytes or runs past the end
     */
    public List<VendorCapability> vendorCapabilities() throws IOException {
        List<VendorCapability> found = new ArrayList<>();
        for (PciCapability capability : capabilities()) {
            if (capability.id() != PciConfigSpace.CAPABILITY_VENDOR_SPECIFIC) {
                continue;
            }
            int at = capability.offset();
            int length = readConfig8(at + PciConfigSpace.VENDOR_CAPABILITY_LENGTH);
            if (length < VendorCapability.MINIMUM_LENGTH || at + length > PciConfigSpace.SIZE) {
                throw new MalformedSysfsException(configFile(), "vendor capability at 0x"
                        + Integer.toHexString(at) + " has length " + length);
            }
            found.add(new VendorCapability(at, length,
                    readConfig8(at + VendorCapability.CONFIG_TYPE),
                    readConfig8(at + VendorCapability.BAR),
                    Integer.toUnsignedLong(readConfig32(at + VendorCapability.BAR_OFFSET)),
                    Integer.toUnsignedLong(readConfig32(at + VendorCapability.LENGTH))));
        }
        return found;
    }

    /**
     * Maps memory BAR {@code index} read-write and shared ({@code mmap} of {@code resourceN}),
     * uncached as the kernel maps that file. The mapping lives until {@code owner} closes.
     * Accesses through the segment are plain loads and stores: a driver that needs one access to
     * reach the device before another (a doorbell after a ring update) orders them itself with
     * {@code VarHandle} fences, and says so where it does.
     *
     * @throws IllegalArgumentException for an index outside 0..5, an unused BAR or a port I/O BAR
     * @throws MalformedSysfsException when {@code resourceN} is missing or shorter than the BAR
     *         (mapping past its end would fault on access)
     */
    public MemorySegment mapBar(int index, Arena owner) throws IOException {
        BarResource bar = bar(index);
        if (!bar.isPresent()) {
            throw new IllegalArgumentException("BAR " + index + " of " + address() + " is not assigned");
        }
        if (!bar.isMemory()) {
            throw new IllegalArgumentException("BAR " + index + " of " + address() + " is not memory (flags 0x"
                    + Long.toHexString(bar.flags()) + ")");
        }
        Path file = directory.resolve("resource" + index);
        if (!Files.exists(file)) {
            throw new MalformedSysfsException(file, "missing");
        }
        long fileBytes = Files.size(file);
        if (fileBytes < bar.size()) {
            throw new MalformedSysfsException(file, "holds " + fileBytes + " bytes, BAR " + index
                    + " has " + bar.size());
        }
        int fd = Posix.open(file.toString(), Posix.O_RDWR | Posix.O_SYNC, 0);
        try {
            return Posix.mmap(fd, bar.size(), Posix.MAP_SHARED, owner, file.toString());
        } finally {
            // The mapping keeps its own reference to the file.
            Posix.close(fd);
        }
    }

    private Path configFile() {
        return directory.resolve("config");
    }

    private ByteBuffer readConfig(int offset, int bytes) throws IOException {
        checkConfigOffset(offset, bytes);
        Path file = configFile();
        ByteBuffer buffer = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, offset + buffer.position()) <= 0) {
                    throw new MalformedSysfsException(file, "truncated: " + bytes + " bytes at offset 0x"
                            + Integer.toHexString(offset) + " but the file has " + channel.size());
                }
            }
        } catch (java.nio.file.NoSuchFileException e) {
            throw new MalformedSysfsException(file, "missing");
        }
        return buffer;
    }

    private void writeConfig(int offset, ByteBuffer value) throws IOException {
        checkConfigOffset(offset, value.capacity());
        Path file = configFile();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            while (value.hasRemaining()) {
                channel.write(value, offset + value.position());
            }
        } catch (java.nio.file.NoSuchFileException e) {
            throw new MalformedSysfsException(file, "missing");
        }
    }

    private static void checkConfigOffset(int offset, int bytes) {
        if (offset < 0 || offset + bytes > PciConfigSpace.SIZE || offset % bytes != 0) {
            throw new IllegalArgumentException("configuration offset 0x" + Integer.toHexString(offset)
                    + " is outside 0..0xff or not aligned to " + bytes + " bytes");
        }
    }

    @Override
    public String toString() {
        return address() + " " + ids;
    }
}
