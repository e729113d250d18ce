package dev.libos.examples.echo;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.hw.pci.PciIds;
import org.junit.jupiter.api.Test;

class TransitionalVirtioNetTest {
    private final TransitionalVirtioNet driver = new TransitionalVirtioNet();

    @Test
    void claimsTheTransitionalNetworkDeviceQemuPresentsByDefault() {
        // What the guest's sysfs showed for `-nic user,model=virtio-net-pci` on q35.
        assertTrue(driver.supports(new PciIds(0x1af4, 0x1000, 0x020000, 0, 0x1af4, 0x0001)));
    }

    @Test
    void leavesOtherTransitionalVirtioDevicesAndModernOnesAlone() {
        assertFalse(driver.supports(new PciIds(0x1af4, 0x1001, 0x010000, 0, 0x1af4, 0x0002)), "transitional block");
        assertFalse(driver.supports(new PciIds(0x1af4, 0x1000, 0x020000, 0, 0x1af4, 0x0002)), "1000 with a block subsystem id");
        assertFalse(driver.supports(new PciIds(0x1af4, 0x1041, 0x020000, 1, 0x1af4, 0x1100)), "modern: hw-virtio's own driver");
        assertFalse(driver.supports(new PciIds(0x8086, 0x1000, 0x020000, 0, 0x1af4, 0x0001)), "another vendor");
    }
}
