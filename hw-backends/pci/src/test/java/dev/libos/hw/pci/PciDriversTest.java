package dev.libos.hw.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.api.device.BlockDevice;
import dev.libos.api.device.DmaMemory;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PciDriversTest {
    @TempDir
    Path temp;
    FakeSysfs sysfs;
    final DmaMemory memory = new AnonymousDmaMemory();

    @BeforeEach
    void createBus() throws IOException {
        sysfs = new FakeSysfs(temp.resolve("devices"));
        sysfs.device("0000:00:00.0", 0x8086, 0x1237, 0x060000); // host bridge: no driver
        sysfs.device("0000:00:03.0", 0x1af4, 0x1041, 0x020000); // virtio-net
        sysfs.device("0000:00:04.0", 0x1af4, 0x1042, 0x018000); // virtio-blk
    }

    @Test
    void serviceLoaderFindsTheProviderAndItAttaches() throws IOException {
        PciDrivers.ProbeResult result = PciDrivers.probe(new PciBus(sysfs.root()), memory);

        assertEquals(1, result.attached().size());
        PciAttachment.Net net = assertInstanceOf(PciAttachment.Net.class, result.attached().get(0));
        assertEquals("0000:00:03.0", net.pciDevice().address());
        assertEquals("fake-net", net.driverName());
        assertEquals("0000:00:03.0", net.device().name());
        int command = net.pciDevice().readConfig16(PciConfigSpace.COMMAND);
        assertEquals(PciConfigSpace.COMMAND_BUS_MASTER, command & PciConfigSpace.COMMAND_BUS_MASTER,
                "the driver enabled bus mastering");
        assertEquals(List.of("0000:00:00.0", "0000:00:04.0"),
                result.unmatched().stream().map(PciDevice::address).toList());
        assertEquals(List.of(), result.failures());
    }

    @Test
    void firstSupportingProviderWinsAndBlockDevicesAttach() throws IOException {
        PciDriverProvider blk = new StubBlockProvider();
        PciDrivers.ProbeResult result = PciDrivers.probe(new PciBus(sysfs.root()), memory,
                List.of(blk, new FakeNetDriverProvider(), new StubBlockProvider()));
        assertEquals(2, result.attached().size());
        PciAttachment.Block block = assertInstanceOf(PciAttachment.Block.class, result.attached().get(1));
        assertEquals("stub-blk", block.driverName());
        assertEquals(1, ((StubBlockProvider) blk).attached);
        assertEquals(List.of("0000:00:00.0"), result.unmatched().stream().map(PciDevice::address).toList());
    }

    @Test
    void aDeviceAttachedOnceIsLeftAloneByLaterProbes() throws IOException {
        StubBlockProvider blk = new StubBlockProvider();
        PciDrivers.ProbeResult first = PciDrivers.probe(new PciBus(sysfs.root()), memory, List.of(blk));
        assertEquals(1, first.attached().size());
        PciDrivers.ProbeResult second = PciDrivers.probe(new PciBus(sysfs.root()), memory,
                List.of(new FakeNetDriverProvider(), blk));
        assertEquals(1, blk.attached, "the block device was not attached twice");
        assertEquals(List.of("0000:00:04.0"), second.attachedEarlier().stream().map(PciDevice::address).toList());
        assertEquals(List.of("0000:00:03.0"), second.attached().stream().map(a -> a.pciDevice().address()).toList());
    }

    @Test
    void theFilterSelectsDevicesByTheirIds() throws IOException {
        PciDrivers.ProbeResult storage = PciDrivers.probe(new PciBus(sysfs.root()), memory,
                List.of(new FakeNetDriverProvider(), new StubBlockProvider()), ids -> ids.baseClass() == 0x01);
        assertEquals(List.of("0000:00:04.0"), storage.attached().stream().map(a -> a.pciDevice().address()).toList());
        assertEquals(List.of(), storage.unmatched(), "the host bridge and the NIC were not looked at");
        PciDrivers.ProbeResult rest = PciDrivers.probe(new PciBus(sysfs.root()), memory);
        assertEquals(List.of("0000:00:03.0"), rest.attached().stream().map(a -> a.pciDevice().address()).toList(),
                "the NIC is still free for the application's probe");
    }

    @Test
    void aFailedAttachLeavesTheDeviceFreeForAnotherTry() throws IOException {
        sysfs.device("0000:00:06.0", 0x1af4, 0x1041, 0x020000).write("revision", "0xee\n");
        assertEquals(1, PciDrivers.probe(new PciBus(sysfs.root()), memory).failures().size());
        PciDrivers.ProbeResult again = PciDrivers.probe(new PciBus(sysfs.root()), memory);
        assertEquals(1, again.failures().size(), "tried again, failed again: not skipped as attached");
        assertEquals(List.of("0000:00:03.0"), again.attachedEarlier().stream().map(PciDevice::address).toList());
    }

    @Test
    void kernelBoundDevicesAreLeftAlone() throws IOException {
        FakeSysfs.Device owned = sysfs.device("0000:00:05.0", 0x1af4, 0x1041, 0x020000);
        owned.bindKernelDriver("virtio-pci");
        PciDrivers.ProbeResult result = PciDrivers.probe(new PciBus(sysfs.root()), memory);
        assertEquals(List.of("0000:00:05.0"), result.kernelOwned().stream().map(PciDevice::address).toList());
        assertEquals(1, result.attached().size());
        assertEquals(0, owned.configOnDisk()[PciConfigSpace.COMMAND], "config untouched");
    }

    @Test
    void aFailingDriverAndAMalformedDeviceDoNotStopTheProbe() throws IOException {
        sysfs.device("0000:00:06.0", 0x1af4, 0x1041, 0x020000).write("revision", "0xee\n");
        sysfs.device("0000:00:07.0", 0x1af4, 0x1041, 0x020000).write("resource", "garbage\n");
        PciDrivers.ProbeResult result = PciDrivers.probe(new PciBus(sysfs.root()), memory);

        assertEquals(1, result.attached().size());
        assertEquals(1, result.failures().size());
        PciDrivers.ProbeFailure failure = result.failures().get(0);
        assertEquals("0000:00:06.0", failure.device().address());
        assertEquals("fake-net", failure.driverName());
        assertTrue(failure.cause().getMessage().contains("did not reset"));
        assertEquals(1, result.unreadable().size());
        MalformedSysfsException malformed = assertInstanceOf(MalformedSysfsException.class, result.unreadable().get(0));
        assertEquals(sysfs.root().resolve("0000:00:07.0/resource"), malformed.file());
    }

    @Test
    void filesBesideDeviceDirectoriesAreIgnored() throws IOException {
        Files.writeString(sysfs.root().resolve("stray"), "x");
        assertEquals(3, new PciBus(sysfs.root()).scan().devices().size());
    }

    private static final class StubBlockProvider implements PciDriverProvider {
        int attached;

        @Override
        public String name() {
            return "stub-blk";
        }

        @Override
        public boolean supports(PciIds ids) {
            return ids.vendorId() == 0x1af4 && ids.deviceId() == 0x1042;
        }

        @Override
        public PciAttachment attach(PciDevice device, DmaMemory memory) {
            attached++;
            return new PciAttachment.Block(device, name(), new BlockDevice() {
                @Override
                public String name() {
                    return device.address();
                }

                @Override
                public int blockSize() {
                    return 512;
                }

                @Override
                public long blockCount() {
                    return 0;
                }

                @Override
                public void read(long block, MemorySegment dst) {
                }

                @Override
                public void write(long block, MemorySegment src) {
                }

                @Override
                public void flush() {
                }
            });
        }
    }
}
