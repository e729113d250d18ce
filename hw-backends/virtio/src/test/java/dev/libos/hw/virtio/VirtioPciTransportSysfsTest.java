package dev.libos.hw.virtio;

import static org.junit.jupiter.api.Assertions.*;

import dev.libos.hw.pci.PciDevice;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link VirtioPciTransport#open} over a fake sysfs device: capabilities in {@code config} laid out
 * as QEMU lays out a modern virtio-blk, BAR 4 as a regular {@code resource4} file that the
 * transport maps. A file has no register side effects, so this checks where the transport finds
 * and puts things; the register semantics are {@link VirtioPciTransportTest}'s.
 */
class VirtioPciTransportSysfsTest {
    private static final int BAR_BYTES = 0x4000;
    private static final int COMMON = 0x0000;
    private static final int ISR = 0x1000;
    private static final int DEVICE = 0x2000;
    private static final int NOTIFY = 0x3000;
    private static final int MULTIPLIER = 4;

    @TempDir
    Path temp;
    Path directory;
    ByteBuffer config = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer bar = ByteBuffer.allocate(BAR_BYTES).order(ByteOrder.LITTLE_ENDIAN);

    @BeforeEach
    void createDevice() throws IOException {
        directory = Files.createDirectories(temp.resolve("0000:00:04.0"));
        write("vendor", "0x1af4\n");
        write("device", "0x1042\n");
        write("class", "0x010000\n");
        write("revision", "0x01\n");
        write("subsystem_vendor", "0x1af4\n");
        write("subsystem_device", "0x0002\n");
        StringBuilder resources = new StringBuilder();
        for (int i = 0; i < 13; i++) {
            resources.append(i == 4
                    ? String.format("0x%016x 0x%016x 0x%016x%n", 0xfe000000L, 0xfe000000L + BAR_BYTES - 1, 0x14220cL)
                    : String.format("0x%016x 0x%016x 0x%016x%n", 0, 0, 0));
        }
        write("resource", resources.toString());
        config.putShort(0x00, (short) 0x1af4);
        config.putShort(0x02, (short) 0x1042);
        config.putShort(0x06, (short) 0x10); // capabilities list present
        config.put(0x34, (byte) 0x40);
        capability(0x40, 0x50, 16, VirtioPciCommonConfig.TYPE_COMMON, 4, COMMON, 0x38);
        capability(0x50, 0x60, 16, VirtioPciCommonConfig.TYPE_ISR, 4, ISR, 4);
        capability(0x60, 0x70, 16, VirtioPciCommonConfig.TYPE_DEVICE, 4, DEVICE, 0x20);
        capability(0x70, 0x00, 20, VirtioPciCommonConfig.TYPE_NOTIFY, 4, NOTIFY, 0x1000);
        config.putInt(0x70 + VirtioPciCommonConfig.NOTIFY_OFF_MULTIPLIER, MULTIPLIER);
        // Register contents a file can hold: num_queues, queue 0's size and notify offset, ISR, config.
        bar.putShort(COMMON + VirtioPciCommonConfig.NUM_QUEUES, (short) 2);
        bar.putShort(COMMON + VirtioPciCommonConfig.QUEUE_SIZE, (short) 256);
        bar.putShort(COMMON + VirtioPciCommonConfig.QUEUE_NOTIFY_OFF, (short) 5);
        bar.put(ISR, (byte) 1);
        bar.putLong(DEVICE + VirtioBlkConfig.CAPACITY_OFFSET, 0x1_0000_0000L);
        flush();
    }

    private void capability(int at, int next, int length, int type, int barIndex, int offset, int bytes) {
        config.put(at, (byte) 0x09);
        config.put(at + 1, (byte) next);
        config.put(at + 2, (byte) length);
        config.put(at + 3, (byte) type);
        config.put(at + 4, (byte) barIndex);
        config.putInt(at + 8, offset);
        config.putInt(at + 12, bytes);
    }

    private void write(String file, String content) throws IOException {
        Files.writeString(directory.resolve(file), content);
    }

    private void flush() throws IOException {
        Files.write(directory.resolve("config"), config.array());
        Files.write(directory.resolve("resource4"), bar.array());
    }

    private ByteBuffer barOnDisk() throws IOException {
        return ByteBuffer.wrap(Files.readAllBytes(directory.resolve("resource4"))).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void findsEveryStructureInTheMappedBar() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            VirtioPciTransport transport = VirtioPciTransport.open(PciDevice.open(directory), arena);
            assertEquals(2, transport.queueCount());
            assertEquals(256, transport.queueMaxSize(0));
            assertEquals(0, transport.readConfig32(VirtioBlkConfig.CAPACITY_OFFSET));
            assertEquals(1, transport.readConfig32(VirtioBlkConfig.CAPACITY_OFFSET + 4));
            assertEquals(1, transport.readInterruptStatus());
            assertThrows(IllegalArgumentException.class, () -> transport.readConfig32(0x20));
            transport.setupQueue(1, 128, 0x1122334455L, 0x2000, 0x3000);
            transport.enableQueue(1);
            transport.writeStatus(VirtioStatus.ACKNOWLEDGE);
            transport.notifyQueue(1);
            // MAP_SHARED: the register writes reached the file at the layout's offsets.
            ByteBuffer disk = barOnDisk();
            assertEquals(128, disk.getShort(COMMON + VirtioPciCommonConfig.QUEUE_SIZE));
            assertEquals(0x1122334455L, disk.getLong(COMMON + VirtioPciCommonConfig.QUEUE_DESC));
            assertEquals(1, disk.getShort(COMMON + VirtioPciCommonConfig.QUEUE_ENABLE));
            assertEquals(VirtioStatus.ACKNOWLEDGE, disk.get(COMMON + VirtioPciCommonConfig.DEVICE_STATUS));
            assertEquals(1, disk.getShort(COMMON + VirtioPciCommonConfig.QUEUE_SELECT));
            // Queue 1's doorbell: notify offset 5 times multiplier 4; the value is the queue index.
            assertEquals(1, disk.getShort(NOTIFY + 5 * MULTIPLIER));
            assertEquals(1, countNonZero(disk, NOTIFY, 0x1000), "nothing else written in the notify area");
        }
    }

    private static int countNonZero(ByteBuffer buffer, int from, int length) {
        int n = 0;
        for (int i = from; i < from + length; i++) {
            n += buffer.get(i) != 0 ? 1 : 0;
        }
        return n;
    }

    @Test
    void missingCommonCapabilityIsNotAModernDevice() throws IOException {
        config.put(0x40 + 3, (byte) 5); // now a PCI-config-access capability
        flush();
        try (Arena arena = Arena.ofConfined()) {
            IOException e = assertThrows(IOException.class, () -> VirtioPciTransport.open(PciDevice.open(directory), arena));
            assertTrue(e.getMessage().contains("common configuration"), e.getMessage());
        }
    }

    @Test
    void structureOutsideItsBarIsRefused() throws IOException {
        config.putInt(0x70 + 8, BAR_BYTES - 0x10); // notify area runs past the BAR
        flush();
        try (Arena arena = Arena.ofConfined()) {
            IOException e = assertThrows(IOException.class, () -> VirtioPciTransport.open(PciDevice.open(directory), arena));
            assertTrue(e.getMessage().contains("outside the BAR"), e.getMessage());
        }
    }

    @Test
    void notifyCapabilityWithoutMultiplierIsRefused() throws IOException {
        config.put(0x70 + 2, (byte) 16);
        flush();
        try (Arena arena = Arena.ofConfined()) {
            IOException e = assertThrows(IOException.class, () -> VirtioPciTransport.open(PciDevice.open(directory), arena));
            assertTrue(e.getMessage().contains("notify_off_multiplier"), e.getMessage());
        }
    }
}
