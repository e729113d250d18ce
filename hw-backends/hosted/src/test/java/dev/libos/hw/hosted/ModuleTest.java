package dev.libos.hw.hosted;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Placeholder until the first device lands: the module resolves the device SPI. */
class ModuleTest {
    @Test
    void seesTheDeviceSpi() {
        assertEquals("NetDevice", dev.libos.api.device.NetDevice.class.getSimpleName());
    }
}
