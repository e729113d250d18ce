package dev.libos.net.ip;

import dev.libos.api.device.NetDevice;
import dev.libos.net.wire.Checksum;
import dev.libos.net.wire.EthernetDescriptor;
import dev.libos.net.wire.EtherType;
import dev.libos.net.wire.IpProtocol;
import dev.libos.net.wire.Ipv4Descriptor;
import dev.libos.net.wire.TcpDescriptor;
import dev.libos.net.wire.UdpDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Transmit checksum offload, one rule in one place: on an interface whose device has
 * {@link NetDevice#transmitChecksumOffload()}, every unfragmented IPv4 TCP or UDP datagram the
 * stack sends carries, in its checksum field, the folded sum of its pseudo-header (not
 * complemented; VIRTIO 1.2 section 5.1.6.2, Linux CHECKSUM_PARTIAL), and goes to the device with
 * where that field is; the device completes the checksum over the transport header and data.
 * {@link NetStack} writes the partial sum after the transport has written its datagram (so a
 * transport that computes a full checksum anyway is still correct) and {@link NetInterface}
 * recognises those frames by the same rule. Fragments always carry a full checksum: the device
 * sees one fragment, the checksum covers the whole datagram.
 */
final class TransportChecksumOffload {
    private static final int ETHERNET = EthernetDescriptor.HEADER_LENGTH;
    /** IPv4 flags and fragment offset: the MF bit and the 13-bit offset (RFC 791 3.1). */
    private static final int MORE_FRAGMENTS_AND_OFFSET = 0x3FFF;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private TransportChecksumOffload() {
    }

    /** Offset of the checksum field in the transport header, or -1 for a protocol without offload. */
    static int checksumFieldOffset(int protocol) {
        return switch (protocol) {
            case IpProtocol.TCP -> TcpDescriptor.CHECKSUM_OFFSET;
            case IpProtocol.UDP -> UdpDescriptor.CHECKSUM_OFFSET;
            default -> -1;
        };
    }

    /**
     * Replaces the checksum of the TCP segment or UDP datagram filling {@code transport} with the
     * partial sum the device completes: the pseudo-header sum, folded, not complemented.
     */
    static void leavePartialChecksum(MemorySegment transport, int protocol, int sourceAddress, int destinationAddress) {
        int length = (int) transport.byteSize();
        int partial = Checksum.fold(Checksum.pseudoHeaderSum(sourceAddress, destinationAddress, protocol, length));
        transport.set(U16, checksumFieldOffset(protocol), (short) partial);
    }

    /**
     * Transmits a frame the stack built: with its checksum position when the device offloads and
     * the frame is an unfragmented IPv4 TCP or UDP datagram, plainly otherwise.
     */
    static boolean transmit(NetDevice device, MemorySegment frame) {
        if (!device.transmitChecksumOffload() || frame.byteSize() < ETHERNET + 20
                || u16(frame, EthernetDescriptor.ETHER_TYPE_OFFSET) != EtherType.IPV4
                || (u16(frame, ETHERNET + Ipv4Descriptor.FLAGS_FRAGMENT_OFFSET) & MORE_FRAGMENTS_AND_OFFSET) != 0) {
            return device.transmit(frame);
        }
        int fieldOffset = checksumFieldOffset(u8(frame, ETHERNET + Ipv4Descriptor.PROTOCOL_OFFSET));
        if (fieldOffset < 0) {
            return device.transmit(frame);
        }
        int checksumStart = ETHERNET + (u8(frame, ETHERNET + Ipv4Descriptor.VERSION_IHL_OFFSET) & 0x0F) * 4;
        return device.transmit(frame, checksumStart, fieldOffset);
    }

    private static int u8(MemorySegment segment, long position) {
        return Byte.toUnsignedInt(segment.get(ValueLayout.JAVA_BYTE, position));
    }

    private static int u16(MemorySegment segment, long position) {
        return Short.toUnsignedInt(segment.get(U16, position));
    }
}
