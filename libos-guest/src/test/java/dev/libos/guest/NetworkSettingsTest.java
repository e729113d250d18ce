package dev.libos.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.net.wire.Ipv4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class NetworkSettingsTest {
    private static Properties props(String... pairs) {
        Properties p = new Properties();
        for (int i = 0; i < pairs.length; i += 2) {
            p.setProperty(pairs[i], pairs[i + 1]);
        }
        return p;
    }

    @Test
    void nothingSetMeansDhcpWithTheDeviceMtu() {
        NetworkSettings s = NetworkSettings.from(props());
        assertNull(s.address());
        assertEquals(List.of(), s.dnsServers());
        assertEquals(0, s.mtu());
        assertEquals(NetworkSettings.DEFAULT_DHCP_WAIT_SECONDS, s.dhcpWaitSeconds());
    }

    @Test
    void aStaticAddressWithGatewayDnsAndMtu() throws Exception {
        NetworkSettings s = NetworkSettings.from(props("libos.net.address", "10.0.2.15/24", "libos.net.gateway", "10.0.2.2",
                "libos.net.dns", "10.0.2.3, 192.0.2.53", "libos.net.mtu", "1400", "libos.net.dhcpWaitSeconds", "5"));
        assertEquals(Ipv4Address.of(10, 0, 2, 15), s.address().address());
        assertEquals(24, s.address().prefixLength());
        assertEquals(Ipv4Address.of(10, 0, 2, 2), s.address().gateway());
        assertEquals(List.of(InetAddress.getByName("10.0.2.3"), InetAddress.getByName("192.0.2.53")), s.dnsServers());
        assertEquals(1400, s.mtu());
        assertEquals(5, s.dhcpWaitSeconds());
    }

    @Test
    void eachMalformedSettingFailsNamingItself() {
        String[][] cases = {
            {"libos.net.address", "10.0.2.15"},
            {"libos.net.address", "10.0.2.300/24"},
            {"libos.net.address", "10.0.2.15/33"},
            {"libos.net.address", "10.0.2.15/x"},
            {"libos.net.address", "10.0.2.0/24"},
            {"libos.net.address", "0.0.0.0/8"},
            {"libos.net.dns", "10.0.2.3,,"},
            {"libos.net.dns", "dns.example"},
            {"libos.net.mtu", "67"},
            {"libos.net.mtu", "99999999999"},
            {"libos.net.dhcpWaitSeconds", "-1"},
        };
        for (String[] c : cases) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> NetworkSettings.from(props(c[0], c[1])), c[0] + "=" + c[1]);
            assertTrue(e.getMessage().startsWith(c[0]), e.getMessage());
            assertTrue(e.getMessage().contains(c[1].trim().isEmpty() ? "" : c[1].split(",")[0]), e.getMessage());
        }
    }

    @Test
    void aGatewayOffTheSubnetOrWithoutAnAddressNamesTheGatewaySetting() {
        IllegalArgumentException off = assertThrows(IllegalArgumentException.class, () -> NetworkSettings.from(
                props("libos.net.address", "10.0.2.15/24", "libos.net.gateway", "10.0.3.1")));
        assertTrue(off.getMessage().startsWith("libos.net.gateway"), off.getMessage());
        IllegalArgumentException alone = assertThrows(IllegalArgumentException.class,
                () -> NetworkSettings.from(props("libos.net.gateway", "10.0.2.2")));
        assertTrue(alone.getMessage().startsWith("libos.net.gateway"), alone.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> NetworkSettings.from(
                props("libos.net.address", "10.0.2.15/24", "libos.net.gateway", "gw")));
        assertTrue(bad.getMessage().startsWith("libos.net.gateway"), bad.getMessage());
    }
}
