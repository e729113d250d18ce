package dev.libos.hw.hosted.tap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** What a TAP device checks and encodes before it touches the kernel: runs without root. */
class TapDeviceArgumentsTest {
    private static final byte[] MAC = TapDevice.locallyAdministeredMac(1);

    @Test
    void rejectsBadNamesNamingThem() {
        for (String bad : new String[] {"", "sixteen-chars-xx", "tap 0", "tap/0", "täp"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TapDevice.open(bad, MAC, 1500), bad);
            assertTrue(e.getMessage().contains(bad), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> TapDevice.open(null, MAC, 1500));
        TapDevice.validateName("fifteen-chars-x");
        TapDevice.validateName("ltap_0.a");
    }

    @Test
    void rejectsBadMacAndMtu() {
        assertThrows(IllegalArgumentException.class, () -> TapDevice.open("t0", new byte[5], 1500));
        assertThrows(IllegalArgumentException.class, () -> TapDevice.open("t0", null, 1500));
        IllegalArgumentException multicast = assertThrows(IllegalArgumentException.class,
                () -> TapDevice.open("t0", new byte[] {1, 0, 0, 0, 0, 1}, 1500));
        assertTrue(multicast.getMessage().contains("01:00:00:00:00:01"), multicast.getMessage());
        IllegalArgumentException mtu = assertThrows(IllegalArgumentException.class, () -> TapDevice.open("t0", MAC, 67));
        assertTrue(mtu.getMessage().contains("67"));
        assertThrows(IllegalArgumentException.class, () -> TapDevice.open("t0", MAC, 65536));
    }

    @Test
    void locallyAdministeredMacsAreUnicastAndDistinct() {
        byte[] mac = TapDevice.locallyAdministeredMac(0x01_0203_0405L);
        assertArrayEquals(new byte[] {2, 1, 2, 3, 4, 5}, mac);
        assertEquals("02:01:02:03:04:05", TapDevice.formatMac(mac));
        assertEquals(0, TapDevice.locallyAdministeredMac(-1)[0] & 1, "unicast bit clear");
        assertEquals(2, TapDevice.locallyAdministeredMac(-1)[0] & 2, "locally administered bit set");
    }

    @Test
    void encodesTheInterfaceRequestAsTheKernelLaysItOut() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment request = arena.allocate(TunInterfaceRequest.SIZE);
            request.fill((byte) 0x7F);
            TunInterfaceRequest.encode(request, "tap9",
                    (short) (TunInterfaceRequest.IFF_TAP | TunInterfaceRequest.IFF_NO_PI));
            byte[] bytes = request.toArray(ValueLayout.JAVA_BYTE);
            assertArrayEquals(new byte[] {'t', 'a', 'p', '9', 0}, java.util.Arrays.copyOf(bytes, 5));
            // ifr_flags, little-endian on the platforms we run: IFF_TAP (0x0002) | IFF_NO_PI (0x1000).
            assertEquals(0x02, bytes[16]);
            assertEquals(0x10, bytes[17]);
            for (int i = 18; i < TunInterfaceRequest.SIZE; i++) {
                assertEquals(0, bytes[i], "byte " + i + " of the union is zeroed");
            }
            assertEquals("tap9", TunInterfaceRequest.decodeName(request));
            assertEquals(0x1002, TunInterfaceRequest.flags(request));
            assertThrows(IllegalArgumentException.class,
                    () -> TunInterfaceRequest.encode(request, "x".repeat(16), (short) 0));
        }
        // _IOW('T', 202, int): direction write (1 << 30), size 4 (<< 16), type 'T' (<< 8), number 202.
        assertEquals((1L << 30) | (4L << 16) | ('T' << 8) | 202, TunInterfaceRequest.TUNSETIFF);
        assertEquals((1L << 30) | (4L << 16) | ('T' << 8) | 226, TunInterfaceRequest.TUNSETCARRIER);
    }

    @Test
    void errnoNamesAreReadable() {
        assertEquals("EAGAIN (11)", Errno.describe(Errno.EAGAIN));
        assertEquals("EPERM", Errno.name(1));
        assertEquals("errno 4242", Errno.name(4242));
    }

    @Test
    void uniqueNamesFitAnInterfaceNameAndDiffer() {
        String first = NetworkNamespace.uniqueName("ltap");
        String second = NetworkNamespace.uniqueName("ltap");
        assertTrue(first.length() <= 15, first);
        assertTrue(first.startsWith("ltap"), first);
        assertTrue(!first.equals(second), first + " vs " + second);
        TapDevice.validateName(first);
        assertThrows(IllegalArgumentException.class, () -> NetworkNamespace.uniqueName("toolong"));
    }
}
