package dev.libos.hw.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PciDeviceTest {
    @TempDir
    Path temp;
    FakeSysfs sysfs;
    FakeSysfs.Device fake;

    @BeforeEach
    void createDevice() throws IOException {
        sysfs = new FakeSysfs(temp.resolve("devices"));
        fake = sysfs.device("0000:00:03.0", 0x1af4, 0x1041, 0x020000);
    }

    @Test
    void readsIdsFromAttributes() throws IOException {
        PciDevice device = PciDevice.open(fake.directory);
        assertEquals("0000:00:03.0", device.address());
        assertEquals(new PciIds(0x1af4, 0x1041, 0x020000, 1, 0x1af4, 0x1100), device.ids());
        assertEquals(2, device.ids().baseClass());
    }

    @Test
    void configReadsAreLittleEndian() throws IOException {
        fake.config.putInt(0x10, 0xfebd1000);
        fake.flush();
        PciDevice device = PciDevice.open(fake.directory);
        assertEquals(0x1af4, device.readConfig16(PciConfigSpace.VENDOR_ID));
        assertEquals(0xf4, device.readConfig8(PciConfigSpace.VENDOR_ID));
        assertEquals(0x10411af4, device.readConfig32(0));
        assertEquals(0xfebd1000, device.readConfig32(0x10));
    }

    @Test
    void configWritesLandAtTheirOffsetLittleEndian() throws IOException {
        PciDevice device = PciDevice.open(fake.directory);
        device.writeConfig32(0x40, 0x11223344);
        device.writeConfig16(0x44, 0xbeef);
        device.writeConfig8(0x46, 0x7f);
        byte[] disk = fake.configOnDisk();
        assertEquals(PciConfigSpace.SIZE, disk.length);
        assertEquals(0x44, disk[0x40] & 0xff);
        assertEquals(0x11, disk[0x43] & 0xff);
        assertEquals(0xef, disk[0x44] & 0xff);
        assertEquals(0xbe, disk[0x45] & 0xff);
        assertEquals(0x7f, disk[0x46]);
        assertEquals(0x11223344, device.readConfig32(0x40));
    }

    @Test
    void enableBusMasteringSetsBitsTwoAndOneKeepingOthers() throws IOException {
        fake.config.putShort(PciConfigSpace.COMMAND, (short) 0x0401); // I/O space + interrupt disable
        fake.flush();
        PciDevice device = PciDevice.open(fake.directory);
        device.enableBusMastering();
        assertEquals(0x0407, device.readConfig16(PciConfigSpace.COMMAND));
        assertEquals(0x1af4, device.readConfig16(PciConfigSpace.VENDOR_ID), "vendor id untouched");
    }

    @Test
    void misalignedOrOutOfRangeOffsetIsIllegal() throws IOException {
        PciDevice device = PciDevice.open(fake.directory);
        assertThrows(IllegalArgumentException.class, () -> device.readConfig32(2));
        assertThrows(IllegalArgumentException.class, () -> device.readConfig16(0xff));
        assertThrows(IllegalArgumentException.class, () -> device.readConfig8(256));
        assertThrows(IllegalArgumentException.class, () -> device.writeConfig8(-1, 0));
    }

    @Test
    void truncatedConfigNamesTheFile() throws IOException {
        Files.write(fake.directory.resolve("config"), new byte[64]); // what an unprivileged reader sees
        PciDevice device = PciDevice.open(fake.directory);
        MalformedSysfsException e = assertThrows(MalformedSysfsException.class, () -> device.readConfig32(0x40));
        assertEquals(fake.directory.resolve("config"), e.file());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void missingAttributeNamesTheFile() throws IOException {
        Files.delete(fake.directory.resolve("revision"));
        MalformedSysfsException e = assertThrows(MalformedSysfsException.class, () -> PciDevice.open(fake.directory));
        assertEquals(fake.directory.resolve("revision"), e.file());
    }

    @Test
    void garbageAttributeNamesTheFile() throws IOException {
        fake.write("vendor", "virtio\n");
        MalformedSysfsException e = assertThrows(MalformedSysfsException.class, () -> PciDevice.open(fake.directory));
        assertEquals(fake.directory.resolve("vendor"), e.file());
        assertTrue(e.getMessage().contains("virtio"), e.getMessage());
    }

    @Test
    void kernelDriverIsTheLinkTarget() throws IOException {
        PciDevice device = PciDevice.open(fake.directory);
        assertEquals(Optional.empty(), device.kernelDriver());
        fake.bindKernelDriver("virtio-pci");
        assertEquals(Optional.of("virtio-pci"), device.kernelDriver());
    }

    @Test
    void barAccessorChecksIndex() throws IOException {
        PciDevice device = PciDevice.open(fake.directory);
        assertEquals(0, device.bar(5).size());
        assertThrows(IllegalArgumentException.class, () -> device.bar(6));
        assertThrows(IllegalArgumentException.class, () -> device.bar(-1));
    }

    // --- capabilities ------------------------------------------------------------------------

    /** Writes a virtio_pci_cap at {@code at}. */
    private void virtioCapability(int at, int next, int cfgType, int bar, int offset, int length) {
        fake.config.put(at, (byte) PciConfigSpace.CAPABILITY_VENDOR_SPECIFIC);
        fake.config.put(at + 1, (byte) next);
        fake.config.put(at + 2, (byte) 16);
        fake.config.put(at + 3, (byte) cfgType);
        fake.config.put(at + 4, (byte) bar);
        fake.config.putInt(at + 8, offset);
        fake.config.putInt(at + 12, length);
    }

    private void capabilityList(int first) {
        fake.config.putShort(PciConfigSpace.STATUS, (short) PciConfigSpace.STATUS_CAPABILITIES_LIST);
        fake.config.put(PciConfigSpace.CAPABILITIES_POINTER, (byte) first);
    }

    @Test
    void walksCapabilitiesAndDecodesVirtioOnes() throws IOException {
        // As QEMU lays out virtio-net-pci: MSI-X at 0x98, then virtio caps at 0x84, 0x70, 0x60, 0x50, 0x40.
        capabilityList(0x98);
        fake.config.put(0x98, (byte) 0x11);
        fake.config.put(0x99, (byte) 0x84);
        virtioCapability(0x84, 0x70, 5, 0, 0, 0);
        virtioCapability(0x70, 0x60, 2, 4, 0x3000, 0x1000);
        virtioCapability(0x60, 0x50, 4, 4, 0x2000, 0x1000);
        virtioCapability(0x50, 0x40, 3, 4, 0x1000, 0x1000);
        virtioCapability(0x40, 0x00, 1, 4, 0x0000, 0x1000);
        fake.flush();
        PciDevice device = PciDevice.open(fake.directory);

        List<PciCapability> capabilities = device.capabilities();
        assertEquals(List.of(new PciCapability(0x11, 0x98), new PciCapability(9, 0x84), new PciCapability(9, 0x70),
                new PciCapability(9, 0x60), new PciCapability(9, 0x50), new PciCapability(9, 0x40)), capabilities);

        List<VendorCapability> vendor = device.vendorCapabilities();
        assertEquals(5, vendor.size());
        assertEquals(new VendorCapability(0x70, 16, 2, 4, 0x3000, 0x1000), vendor.get(1));
        assertEquals(new VendorCapability(0x40, 16, 1, 4, 0, 0x1000), vendor.get(4));
    }

    @Test
    void noCapabilitiesWhenStatusBitClear() throws IOException {
        fake.config.put(PciConfigSpace.CAPABILITIES_POINTER, (byte) 0x40);
        virtioCapability(0x40, 0, 1, 4, 0, 0x1000);
        fake.flush();
        assertEquals(List.of(), PciDevice.open(fake.directory).capabilities());
    }

    @Test
    void reservedPointerBitsAreMasked() throws IOException {
        capabilityList(0x43);
        virtioCapability(0x40, 0x00, 1, 4, 0, 0x1000);
        fake.flush();
        assertEquals(List.of(new PciCapability(9, 0x40)), PciDevice.open(fake.directory).capabilities());
    }

    @Test
    void capabilityLoopIsMalformedNotEndless() throws IOException {
        capabilityList(0x40);
        virtioCapability(0x40, 0x50, 1, 4, 0, 0x1000);
        virtioCapability(0x50, 0x40, 2, 4, 0, 0x1000);
        fake.flush();
        MalformedSysfsException e = assertThrows(MalformedSysfsException.class,
                () -> PciDevice.open(fake.directory).capabilities());
        assertTrue(e.getMessage().contains("loops"), e.getMessage());
        assertEquals(fake.directory.resolve("config"), e.file());
    }

    @Test
    void pointerIntoHeaderIsMalformed() throws IOException {
        capabilityList(0x40);
        virtioCapability(0x40, 0x10, 1, 4, 0, 0x1000);
        fake.flush();
        MalformedSysfsException e = assertThrows(MalformedSysfsException.class,
                () -> PciDevice.open(fake.directory).capabilities());
        assertTrue(e.getMessage().contains("0x10"), e.getMessage());
    }

    @Test
    void shortOrOverrunningVendorCapabilityIsMalformed() throws IOException {
        capabilityList(0x40);
        virtioCapability(0x40, 0xf8, 1, 4, 0, 0x1000);
        fake.config.put(0xf8, (byte) 9);
        fake.config.put(0xf9, (byte) 0);
        fake.config.put(0xfa, (byte) 16); // 0xf8 + 16 runs past 0xff
        fake.flush();
        assertThrows(MalformedSysfsException.class, () -> PciDevice.open(fake.directory).vendorCapabilities());

        fake.config.put(0xfa, (byte) 4);
        fake.flush();
        assertThrows(MalformedSysfsException.class, () -> PciDevice.open(fake.directory).vendorCapabilities());
    }

    @Test
    void capabilityWalkOnTruncatedConfigIsMalformed() throws IOException {
        capabilityList(0x80);
        fake.flush();
        Files.write(fake.directory.resolve("config"), java.util.Arrays.copyOf(fake.config.array(), 64));
        assertThrows(MalformedSysfsException.class, () -> PciDevice.open(fake.directory).capabilities());
    }
}
