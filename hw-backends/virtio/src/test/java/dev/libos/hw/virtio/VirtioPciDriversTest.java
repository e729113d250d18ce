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
        return new PciIds(vendor, device, 0x020000, 1, 0x1af4, 1);
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
        assertFalse(net.supports(ids(0x1af4, 0x1000)), "transitional (legacy) ids are not claimed");
        assertTrue(blk.supports(ids(0x1af4, 0x1042)));
        assertFalse(blk.supports(ids(0x8086, 0x1042)));
    }
}
