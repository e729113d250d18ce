package dev.libos.maven.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkOptionsTest {
    @Test
    void unsetSettingsAddNothing() {
        assertEquals(List.of(), NetworkOptions.jvmOptions(null, " ", null, ""));
    }

    @Test
    void setSettingsBecomeSystemProperties() {
        assertEquals(List.of("-Dlibos.net.address=10.0.2.15/24", "-Dlibos.net.gateway=10.0.2.2",
                "-Dlibos.net.dns=10.0.2.3,192.0.2.53", "-Dlibos.net.mtu=1400"),
                NetworkOptions.jvmOptions("10.0.2.15/24", "10.0.2.2", "10.0.2.3, 192.0.2.53", "1400"));
    }

    @Test
    void everyMalformedSettingIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NetworkOptions.jvmOptions("10.0.2.15", "10.0.2.256", "dns.example", "9"));
        for (String name : List.of("libos.net.address", "libos.net.gateway", "libos.net.dns", "libos.net.mtu")) {
            assertTrue(e.getMessage().contains(name + " must be"), e.getMessage());
        }
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> NetworkOptions.jvmOptions(null, null, null, "99999"));
        assertTrue(big.getMessage().contains("libos.net.mtu must be a number 68-65535 (got '99999')"), big.getMessage());
        IllegalArgumentException alone = assertThrows(IllegalArgumentException.class,
                () -> NetworkOptions.jvmOptions(null, "10.0.2.2", null, null));
        assertTrue(alone.getMessage().contains("libos.net.gateway needs libos.net.address"), alone.getMessage());
    }
}
