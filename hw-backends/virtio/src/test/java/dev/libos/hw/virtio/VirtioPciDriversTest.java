package dev.libos.hw.virtio;

import static org.junit.jupiter.api.Assertions.*;

import dev.libos.hw.pci.PciDriverProvider;
import dev.libos.hw.pci.PciIds;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class VirtioPciDriversTest {
    private static PciIds ids(int vendor, int device) {
        return ids(vendor, device, 1);
    }

    private static PciIds ids(int vendor, int device, int subsystemDevice) {
        return new PciIds(vendor, device, 0x020000, 1, 0x1af4, subsystemDevice);
    }

    @Test
    void serviceLoaderFindsBothDriversAndEachClaimsOnlyItsIds() {
        Map<String, PciDriverProvider> byName = ServiceLoader.load(PciDriverProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .collect(Collectors.toMap(PciDriverProvider::name, p -> p));
        PciDriverProvider net = byName.get("virtio-net");
        PciDriverProvider blk = byName.get("virtio-blk");
        assertNotNull(net, byName.toString());
        assertNotNull(blk, byName.toString());
        assertTrue(net.supports(ids(0x1af4, 0x1041)));
        assertFalse(net.supports(ids(0x1af4, 0x1042)));
        assertTrue(blk.supports(ids(0x1af4, 0x1042)));
        assertFalse(blk.supports(ids(0x8086, 0x1042)));
    }

    @Test
    void transitionalIdsAreClaimedByTheTypeInTheirSubsystemDeviceId() {
        var net = new VirtioNetPciDriver();
        var blk = new VirtioBlkPciDriver();
        assertTrue(net.supports(ids(0x1af4, 0x1000, 1)), "QEMU's transitional virtio-net");
        assertTrue(blk.supports(ids(0x1af4, 0x1001, 2)), "QEMU's transitional virtio-blk");
        assertFalse(net.supports(ids(0x1af4, 0x1000, 2)), "transitional id with a block subsystem id");
        assertFalse(blk.supports(ids(0x1af4, 0x1001, 1)), "transitional id with a network subsystem id");
        assertFalse(net.supports(ids(0x1af4, 0x1040, 1)), "just past the transitional range");
        assertFalse(net.supports(ids(0x8086, 0x1000, 1)), "another vendor");
        assertTrue(net.supports(ids(0x1af4, 0x103f, 1)), "last transitional id");
    }
}
