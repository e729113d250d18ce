package dev.libos.hw.vmxnet3;

import static org.junit.jupiter.api.Assertions.*;

import dev.libos.hw.pci.PciDriverProvider;
import dev.libos.hw.pci.PciIds;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class Vmxnet3PciDriverTest {
    private static PciIds ids(int vendor, int device) {
        return new PciIds(vendor, device, 0x020000, 1, 0x15ad, 0x07b0);
    }

    @Test
    void serviceLoaderFindsTheDriverAndItClaimsOnlyVmxnet3() {
        List<PciDriverProvider> providers = ServiceLoader.load(PciDriverProvider.class).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p.name().equals("vmxnet3")).toList();
        assertEquals(1, providers.size());
        PciDriverProvider vmxnet3 = providers.getFirst();
        assertInstanceOf(Vmxnet3PciDriver.class, vmxnet3);
        assertTrue(vmxnet3.supports(ids(0x15ad, 0x07b0)));
        assertFalse(vmxnet3.supports(ids(0x15ad, 0x0720)), "vmxnet2 is not ours");
        assertFalse(vmxnet3.supports(ids(0x1af4, 0x07b0)));
    }
}
