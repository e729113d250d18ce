package dev.libos.guest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.libos.net.host.Addressing;
import dev.libos.net.wire.Ipv4Address;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinuxInterfaceRequestsTest {
    @Test
    void ifreqHoldsTheNameAndASockaddrInWithTheAddressInNetworkOrder() {
        byte[] ifreq = LinuxInterfaceRequests.withAddress("eth0", Ipv4Address.of(10, 0, 2, 15));
        assertEquals(40, ifreq.length);
        byte[] expected = new byte[40];
        System.arraycopy(new byte[] {'e', 't', 'h', '0'}, 0, expected, 0, 4);
        // sockaddr_in at offset 16: sin_family AF_INET (2, little-endian on x86-64), port 0, 10.0.2.15.
        expected[16] = 2;
        expected[20] = 10;
        expected[21] = 0;
        expected[22] = 2;
        expected[23] = 15;
        assertArrayEquals(expected, ifreq);
    }

    @Test
    void flagsGoAtTheStartOfTheUnion() {
        byte[] ifreq = LinuxInterfaceRequests.withFlags("lo", (short) 0x41);
        assertEquals(0x41, ifreq[16]);
        assertEquals(0, ifreq[17]);
        assertThrows(IllegalArgumentException.class, () -> LinuxInterfaceRequests.withFlags("", (short) 0));
        assertThrows(IllegalArgumentException.class, () -> LinuxInterfaceRequests.withFlags("sixteen-chars-xx", (short) 0));
    }

    @Test
    void netmaskOfPrefix() {
        assertEquals(Ipv4Address.of(255, 255, 255, 0), LinuxInterfaceRequests.netmask(24));
        assertEquals(Ipv4Address.of(255, 255, 255, 255), LinuxInterfaceRequests.netmask(32));
        assertEquals(Ipv4Address.of(255, 240, 0, 0), LinuxInterfaceRequests.netmask(12));
        assertEquals(Ipv4Address.UNSPECIFIED, LinuxInterfaceRequests.netmask(0));
        assertThrows(IllegalArgumentException.class, () -> LinuxInterfaceRequests.netmask(33));
    }

    @Test
    void defaultRouteIsUpViaTheGatewayWithZeroDestinationAndMask() {
        byte[] route = LinuxInterfaceRequests.defaultRoute(Ipv4Address.of(10, 0, 2, 2));
        assertEquals(120, route.length);
        assertArrayEquals(new byte[] {2, 0, 0, 0, 0, 0, 0, 0}, Arrays.copyOfRange(route, 8, 16), "rt_dst 0.0.0.0");
        assertArrayEquals(new byte[] {2, 0, 0, 0, 10, 0, 2, 2}, Arrays.copyOfRange(route, 24, 32), "rt_gateway");
        assertArrayEquals(new byte[] {2, 0, 0, 0, 0, 0, 0, 0}, Arrays.copyOfRange(route, 40, 48), "rt_genmask 0.0.0.0");
        assertEquals(3, route[56], "RTF_UP | RTF_GATEWAY");
        for (int i = 58; i < 120; i++) {
            assertEquals(0, route[i], "byte " + i + " (no device, metric or MTU)");
        }
    }

    @Test
    void withoutASettingTheGuestTakesQemusUsualAddress() {
        Addressing.Fixed fallback = LinuxInterfaceRequests.addressOrDefault(null);
        assertEquals(Ipv4Address.of(10, 0, 2, 15), fallback.address());
        assertEquals(24, fallback.prefixLength());
        assertEquals(Ipv4Address.of(10, 0, 2, 2), fallback.gateway());
        Addressing.Fixed set = new Addressing.Fixed(Ipv4Address.of(192, 168, 1, 5), 16, null);
        assertEquals(set, LinuxInterfaceRequests.addressOrDefault(set));
    }

    @Test
    void moduleOrderFileIsReadInOrderAndMalformedNamesAreRefused() {
        assertEquals(List.of("virtio_ring.ko", "virtio.ko"), LinuxNetworkUp.moduleOrder("virtio_ring.ko\n\nvirtio.ko\n"));
        assertThrows(IllegalArgumentException.class, () -> LinuxNetworkUp.moduleOrder("../etc/x.ko\n"));
        assertThrows(IllegalArgumentException.class, () -> LinuxNetworkUp.moduleOrder("virtio.txt\n"));
        assertThrows(IllegalArgumentException.class, () -> LinuxNetworkUp.moduleOrder("\n"));
    }
}
