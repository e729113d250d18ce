package dev.libos.net.ip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.api.device.NetDevice;
import dev.libos.net.ip.udp.UdpCounter;
import dev.libos.net.ip.udp.UdpLayer;
import dev.libos.net.ip.udp.UdpMessage;
import dev.libos.net.ip.udp.UdpSocket;
import dev.libos.net.tcp.TcpConfig;
import dev.libos.net.tcp.TcpConnection;
import dev.libos.net.tcp.TcpCounter;
import dev.libos.net.tcp.TcpLayer;
import dev.libos.net.tcp.TcpListener;
import dev.libos.net.wire.Checksum;
import dev.libos.net.wire.FrameSummary;
import dev.libos.net.wire.IpProtocol;
import dev.libos.net.wire.Ipv4Address;
import dev.libos.net.wire.MacAddress;
import dev.libos.net.wire.WireCheck;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Transmit checksum offload: two stacks over a link whose devices say they complete checksums.
 * Each device checks that the stack left exactly the pseudo-header sum in the field (what
 * virtio's NEEDS_CSUM requires), completes the checksum as hardware would, and hands the frame to
 * the peer unverified, so the peer's software check proves the result interoperates.
 */
class TransmitChecksumOffloadTest {
    private static final Ipv4Address A = Ipv4Address.parse("10.0.5.1");
    private static final Ipv4Address B = Ipv4Address.parse("10.0.5.2");
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /** One end of the link; {@code offloads} says whether it claims transmit checksum offload. */
    static class OffloadingDevice implements NetDevice {
        private final MacAddress mac;
        private final boolean offloads;
        private final ArrayDeque<byte[]> inbound = new ArrayDeque<>();
        OffloadingDevice peer;
        int completedByDevice;
        int sentPlain;
        int notPartial;

        OffloadingDevice(MacAddress mac, boolean offloads) {
            this.mac = mac;
            this.offloads = offloads;
        }

        @Override
        public String name() {
            return "offload" + mac;
        }

        @Override
        public byte[] macAddress() {
            return mac.toBytes();
        }

        @Override
        public int mtu() {
            return 1500;
        }

        @Override
        public boolean linkUp() {
            return true;
        }

        @Override
        public boolean transmitChecksumOffload() {
            return offloads;
        }

        @Override
        public int receive(FrameSink sink, int budget) {
            int n = 0;
            while (n < budget && !inbound.isEmpty()) {
                sink.onFrame(MemorySegment.ofArray(inbound.poll()));
                n++;
            }
            return n;
        }

        @Override
        public boolean transmit(MemorySegment frame) {
            sentPlain++;
            peer.inbound.add(frame.toArray(ValueLayout.JAVA_BYTE));
            return true;
        }

        @Override
        public boolean transmit(MemorySegment frame, int checksumStart, int checksumOffset) {
            if (!offloads) {
                return NetDevice.super.transmit(frame, checksumStart, checksumOffset);
            }
            MemorySegment copy = MemorySegment.ofArray(frame.toArray(ValueLayout.JAVA_BYTE));
            int length = (int) copy.byteSize() - checksumStart;
            int protocol = copy.get(ValueLayout.JAVA_BYTE, 14 + 9);
            int source = copy.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 14 + 12);
            int destination = copy.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 14 + 16);
            int field = Short.toUnsignedInt(copy.get(U16, checksumStart + checksumOffset));
            if (field != Checksum.fold(Checksum.pseudoHeaderSum(source, destination, protocol, length))) {
                notPartial++;
            }
            // The "hardware": the checksum over csum_start..end, field included, into the field.
            int checksum = Checksum.finish(Checksum.sum(copy, checksumStart, length));
            copy.set(U16, checksumStart + checksumOffset, (short) (checksum == 0 ? 0xFFFF : checksum));
            completedByDevice++;
            peer.inbound.add(copy.toArray(ValueLayout.JAVA_BYTE));
            return true;
        }
    }

    private final OffloadingDevice deviceA = new OffloadingDevice(MacAddress.parse("02:00:00:00:05:01"), true);
    private final OffloadingDevice deviceB = new OffloadingDevice(MacAddress.parse("02:00:00:00:05:02"), true);
    private final NetStack stackA = new NetStack(NetStackSettings.DEFAULTS);
    private final NetStack stackB = new NetStack(NetStackSettings.DEFAULTS);
    private final UdpLayer udpA = new UdpLayer(stackA, stackA.icmp());
    private final UdpLayer udpB = new UdpLayer(stackB, stackB.icmp());
    private final TcpLayer tcpA = new TcpLayer(stackA, TcpConfig.defaults(), new SplittableRandom(1), 8, 1L << 30);
    private final TcpLayer tcpB = new TcpLayer(stackB, TcpConfig.defaults(), new SplittableRandom(2), 8, 1L << 30);
    private long now;

    TransmitChecksumOffloadTest() {
        deviceA.peer = deviceB;
        deviceB.peer = deviceA;
        stackA.configure(stackA.addInterface(deviceA), A, 24);
        stackB.configure(stackB.addInterface(deviceB), B, 24);
        stackA.register(IpProtocol.UDP, udpA);
        stackB.register(IpProtocol.UDP, udpB);
        stackA.register(IpProtocol.TCP, tcpA);
        stackB.register(IpProtocol.TCP, tcpB);
    }

    private void run(int steps) {
        for (int i = 0; i < steps; i++) {
            now += 1_000_000;
            stackA.poll(now);
            stackB.poll(now);
            tcpA.poll(now);
            tcpB.poll(now);
        }
    }

    private static byte[] data(int length, int seed) {
        byte[] d = new byte[length];
        new SplittableRandom(seed).nextBytes(d);
        return d;
    }

    @Test
    void udpBothWaysWithTheChecksumLeftToTheDevice() {
        UdpSocket socketA = udpA.bind(Ipv4Address.UNSPECIFIED, 4000, 8);
        UdpSocket socketB = udpB.bind(Ipv4Address.UNSPECIFIED, 5000, 8);
        for (int i = 0; i < 20; i++) {
            byte[] request = data(1 + 61 * i, i); // odd and even lengths
            assertTrue(socketA.send(B, 5000, request));
            run(3);
            UdpMessage got = socketB.receive();
            assertNotNull(got, "datagram " + i);
            assertArrayEquals(request, got.data());
            assertTrue(socketB.send(A, 4000, got.data()));
            run(3);
            assertArrayEquals(request, socketA.receive().data());
        }
        assertEquals(40, deviceA.completedByDevice + deviceB.completedByDevice);
        assertEquals(0, deviceA.notPartial + deviceB.notPartial, "the field holds the pseudo-header sum");
        assertEquals(0, udpA.counters().get(UdpCounter.BAD_DATAGRAM) + udpB.counters().get(UdpCounter.BAD_DATAGRAM));
        assertEquals(0, checksumDrops(WireCheck.UDP_BAD_CHECKSUM), "the device-completed checksums verify");
    }

    /** Frames the parsers of both stacks dropped for {@code reason} (the one place checksums are verified). */
    private long checksumDrops(WireCheck reason) {
        return stackA.interfaces().get(0).parser().counters().drops(reason)
                + stackB.interfaces().get(0).parser().counters().drops(reason);
    }

    @Test
    void tcpTransferWithTheChecksumLeftToTheDevice() {
        TcpListener listener = tcpB.listen(80, 4, 4);
        TcpConnection client = tcpA.connect(B, 80, now);
        run(5);
        TcpConnection server = listener.accept();
        assertNotNull(server, "the handshake completed over offloaded checksums");
        byte[] sent = data(20_000, 7);
        byte[] received = new byte[sent.length];
        int written = 0;
        int read = 0;
        for (int step = 0; step < 2000 && read < sent.length; step++) {
            if (written < sent.length) {
                written += client.send(MemorySegment.ofArray(sent).asSlice(written));
            }
            run(1);
            read += server.receive(MemorySegment.ofArray(received).asSlice(read));
        }
        assertArrayEquals(sent, received);
        assertTrue(deviceA.completedByDevice > 10, "data segments: " + deviceA.completedByDevice);
        assertTrue(deviceB.completedByDevice > 0, "acknowledgements");
        assertEquals(0, deviceA.notPartial + deviceB.notPartial);
        assertEquals(0, tcpA.counters().get(TcpCounter.MALFORMED_SEGMENTS) + tcpB.counters().get(TcpCounter.MALFORMED_SEGMENTS));
        assertEquals(0, checksumDrops(WireCheck.TCP_BAD_CHECKSUM), "the device-completed checksums verify");
    }

    @Test
    void fragmentsCarryAFullChecksumAndGoPlain() {
        UdpSocket socketB = udpB.bind(Ipv4Address.UNSPECIFIED, 5000, 8);
        UdpSocket socketA = udpA.bind(Ipv4Address.UNSPECIFIED, 4000, 8);
        assertTrue(socketA.send(B, 5000, new byte[1])); // resolves ARP both ways
        run(3);
        socketB.receive();
        int plainBefore = deviceA.sentPlain;
        int offloadedBefore = deviceA.completedByDevice;
        byte[] big = data(4000, 3);
        assertTrue(socketA.send(B, 5000, big));
        run(3);
        assertArrayEquals(big, socketB.receive().data(), "reassembled and verified in software");
        assertEquals(3, deviceA.sentPlain - plainBefore, "three fragments, not offloaded");
        assertEquals(offloadedBefore, deviceA.completedByDevice);
    }

    @Test
    void aDeviceWithoutOffloadIsNeverAskedAndKeepsSoftwareChecksums() {
        OffloadingDevice plainA = new OffloadingDevice(MacAddress.parse("02:00:00:00:06:01"), false);
        OffloadingDevice plainB = new OffloadingDevice(MacAddress.parse("02:00:00:00:06:02"), false);
        plainA.peer = plainB;
        plainB.peer = plainA;
        NetStack a = new NetStack(NetStackSettings.DEFAULTS);
        NetStack b = new NetStack(NetStackSettings.DEFAULTS);
        a.configure(a.addInterface(plainA), A, 24);
        b.configure(b.addInterface(plainB), B, 24);
        UdpLayer ua = new UdpLayer(a, a.icmp());
        UdpLayer ub = new UdpLayer(b, b.icmp());
        a.register(IpProtocol.UDP, ua);
        b.register(IpProtocol.UDP, ub);
        UdpSocket sb = ub.bind(Ipv4Address.UNSPECIFIED, 5000, 8);
        assertTrue(ua.bind(Ipv4Address.UNSPECIFIED, 4000, 8).send(B, 5000, new byte[] {1, 2, 3}));
        for (int i = 1; i < 4; i++) {
            a.poll(i);
            b.poll(i);
        }
        assertArrayEquals(new byte[] {1, 2, 3}, sb.receive().data());
        assertEquals(0, plainA.completedByDevice + plainA.notPartial);
    }

    /** Captures what the default software completion hands to {@code transmit(frame)}. */
    static final class CapturingDevice extends OffloadingDevice {
        byte[] captured;

        CapturingDevice() {
            super(MacAddress.parse("02:00:00:00:07:01"), false);
        }

        @Override
        public boolean transmit(MemorySegment frame) {
            captured = frame.toArray(ValueLayout.JAVA_BYTE);
            return false; // refused: the caller's frame must still be as it was
        }
    }

    @Test
    void theDefaultCompletesThePartialChecksumInSoftware() {
        for (int length : new int[] {0, 1, 2, 3, 100, 1001}) {
            byte[] udp = Packets.udp(A, B, 1, 2, data(length, length));
            byte[] frame = Packets.ipv4(MacAddress.parse("02:00:00:00:00:02"), MacAddress.parse("02:00:00:00:00:01"),
                    Packets.header(IpProtocol.UDP, A, B, 1), udp);
            MemorySegment segment = MemorySegment.ofArray(frame);
            int partial = Checksum.fold(Checksum.pseudoHeaderSum(A.value(), B.value(), IpProtocol.UDP, udp.length));
            segment.set(U16, 34 + 6, (short) partial);
            byte[] before = frame.clone();
            CapturingDevice device = new CapturingDevice();
            device.transmit(segment, 34, 6);
            assertArrayEquals(before, frame, "the caller's frame is unchanged");
            FrameSummary parsed = Packets.parse(device.captured);
            assertTrue(parsed instanceof FrameSummary.Udp, "the completed checksum verifies: " + parsed);
            assertNotEquals(0, Short.toUnsignedInt(MemorySegment.ofArray(device.captured).get(U16, 34 + 6)));
        }
    }
}
