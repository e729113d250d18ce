package dev.libos.hw.hosted.tap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A TAP device against the Linux kernel, inside a network namespace made for each test
 * (10.78.0.1/24 on the kernel's side of the TAP; this test plays 10.78.0.2). Skips, saying why,
 * without root, {@code /dev/net/tun} or {@code ip netns}.
 */
@Timeout(60)
class TapDeviceKernelTest {
    private static final byte[] LINUX_IP = {10, 78, 0, 1};
    private static final byte[] OUR_IP = {10, 78, 0, 2};
    private static final byte[] OUR_MAC = TapDevice.locallyAdministeredMac(0x78_0002);
    private static final long WAIT_NANOS = 10_000_000_000L;

    private NetworkNamespace namespace;
    private TapDevice tap;

    @BeforeEach
    void setUp() throws Exception {
        Optional<String> unavailable = NetworkNamespace.unavailableReason();
        assumeTrue(unavailable.isEmpty(), () -> "skipped: " + unavailable.orElse(""));
        namespace = NetworkNamespace.create("lth");
        tap = TapDevice.open(NetworkNamespace.uniqueName("ltap"), OUR_MAC, 1500);
        namespace.moveLink(tap.name());
        // No IPv6 on the link: router solicitations and DAD would otherwise arrive unasked.
        namespace.execChecked("sysctl", "-q", "-w", "net.ipv6.conf." + tap.name() + ".disable_ipv6=1");
        namespace.execChecked("ip", "addr", "add", "10.78.0.1/24", "dev", tap.name());
        namespace.execChecked("ip", "link", "set", tap.name(), "up");
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (tap != null) {
                tap.close();
            }
        } finally {
            if (namespace != null) {
                namespace.close();
            }
        }
    }

    @Test
    void anEmptyQueueReadsNothingAndCountsEagain() {
        drain();
        long before = tap.stats().receiveWouldBlock();
        assertEquals(0, tap.receive(frame -> { }, 8));
        assertEquals(before + 1, tap.stats().receiveWouldBlock());
        assertTrue(tap.linkUp());
    }

    @Test
    void answersTheKernelsArpAndReceivesTheDatagramItHeldBack() throws Exception {
        // bash sends one UDP datagram to 10.78.0.2:9; the kernel first asks who has 10.78.0.2.
        Process sender = namespace.start("bash", "-c", "echo libos-tap > /dev/udp/10.78.0.2/9");
        byte[] request = awaitFrame(f -> etherType(f) == 0x0806 && Arrays.equals(Arrays.copyOfRange(f, 38, 42), OUR_IP));
        assertArrayEquals(new byte[] {-1, -1, -1, -1, -1, -1}, Arrays.copyOf(request, 6), "ARP request is broadcast");
        assertEquals(1, ((request[20] & 0xFF) << 8) | (request[21] & 0xFF), "ARP opcode request");
        byte[] linuxMac = Arrays.copyOfRange(request, 6, 12);
        assertArrayEquals(LINUX_IP, Arrays.copyOfRange(request, 28, 32));

        assertTrue(tap.transmit(MemorySegment.ofArray(arpReply(linuxMac))));

        byte[] datagram = awaitFrame(f -> etherType(f) == 0x0800 && f[23] == 17);
        assertArrayEquals(OUR_MAC, Arrays.copyOf(datagram, 6), "sent to the MAC we announced");
        assertArrayEquals(OUR_IP, Arrays.copyOfRange(datagram, 30, 34));
        int ipHeader = (datagram[14] & 0x0F) * 4;
        int udp = 14 + ipHeader;
        assertEquals(9, ((datagram[udp + 2] & 0xFF) << 8) | (datagram[udp + 3] & 0xFF), "destination port");
        assertEquals("libos-tap\n", new String(datagram, udp + 8, 10, java.nio.charset.StandardCharsets.US_ASCII));
        assertTrue(sender.waitFor(WAIT_NANOS, java.util.concurrent.TimeUnit.NANOSECONDS));

        TapStats stats = tap.stats();
        assertEquals(1, stats.framesOut());
        assertEquals(42, stats.bytesOut());
        assertTrue(stats.framesIn() >= 2, stats.toString());
        assertEquals(0, stats.receiveErrors() + stats.transmitErrors() + stats.oversizeDropped(), stats.toString());
        String kernelView = namespace.execChecked("ip", "-s", "link", "show", "dev", tap.name());
        assertTrue(kernelView.contains(TapDevice.formatMac(linuxMac)), kernelView);
    }

    @Test
    void carrierOffShowsAsNoCarrierInTheKernel() throws Exception {
        tap.setCarrier(false);
        assertFalse(tap.linkUp());
        assertTrue(namespace.execChecked("ip", "link", "show", "dev", tap.name()).contains("NO-CARRIER"));
        tap.setCarrier(true);
        assertTrue(tap.linkUp());
        assertFalse(namespace.execChecked("ip", "link", "show", "dev", tap.name()).contains("NO-CARRIER"));
    }

    @Test
    void closingRemovesTheInterfaceAndLaterUseIsRefused() throws Exception {
        String name = tap.name();
        tap.close();
        tap.close(); // idempotent
        assertFalse(tap.linkUp());
        assertFalse(namespace.exec("ip", "link", "show", "dev", name).succeeded(), "interface gone");
        assertThrows(IllegalStateException.class, () -> tap.receive(frame -> { }, 1));
        assertThrows(IllegalStateException.class, () -> tap.transmit(MemorySegment.ofArray(new byte[60])));
    }

    @Test
    void aSecondOpenOfAHeldNameFailsNamingTheCallAndErrno() throws Exception {
        // A fresh interface, left down and without addresses, exists only for this check.
        try (TapDevice first = TapDevice.open(NetworkNamespace.uniqueName("ltap"), OUR_MAC, 1500)) {
            java.io.IOException e = assertThrows(java.io.IOException.class,
                    () -> TapDevice.open(first.name(), OUR_MAC, 1500).close());
            assertEquals("ioctl(TUNSETIFF, " + first.name() + ") failed: EBUSY (16)", e.getMessage());
        }
    }

    private byte[] arpReply(byte[] linuxMac) {
        ByteBuffer frame = ByteBuffer.allocate(42);
        frame.put(linuxMac).put(OUR_MAC).putShort((short) 0x0806);
        frame.putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4).putShort((short) 2);
        frame.put(OUR_MAC).put(OUR_IP).put(linuxMac).put(LINUX_IP);
        return frame.array();
    }

    private static int etherType(byte[] frame) {
        return ((frame[12] & 0xFF) << 8) | (frame[13] & 0xFF);
    }

    private void drain() {
        while (tap.receive(frame -> { }, 64) > 0) {
            // discard whatever the kernel sent while the link came up
        }
    }

    /** Polls the device (as a CPU loop would) until a frame matching {@code wanted} arrives. */
    private byte[] awaitFrame(Predicate<byte[]> wanted) {
        byte[][] found = new byte[1][];
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (found[0] == null) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("no matching frame within 10 s; " + tap.stats());
            }
            if (tap.receive(frame -> {
                byte[] bytes = frame.toArray(ValueLayout.JAVA_BYTE);
                if (found[0] == null && wanted.test(bytes)) {
                    found[0] = bytes;
                }
            }, 16) == 0) {
                Thread.onSpinWait();
            }
        }
        return found[0];
    }
}
