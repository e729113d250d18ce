package dev.libos.net.wire;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A parsed IPv4 header (RFC 791), immutable (see {@link Ipv4Header} for the reused kind). Options are carried opaque; the reserved flag is not
 * represented (it must be zero on send and is ignored on receipt).
 *
 * @param dscp                differentiated services code point, 0 to 63
 * @param ecn                 explicit congestion notification, 0 to 3
 * @param identification      0 to 65535
 * @param dontFragment        DF flag
 * @param moreFragments       MF flag
 * @param fragmentOffsetBytes fragment offset in bytes, a multiple of 8
 * @param timeToLive          0 to 255
 * @param protocol            protocol of the payload, 0 to 255
 * @param source              source address
 * @param destination         destination address
 * @param options             option bytes (copied), a multiple of 4 up to 40 bytes
 * @param payloadLength       bytes after the header
 */
public record Ipv4Repr(int dscp, int ecn, int identification, boolean dontFragment, boolean moreFragments,
                       int fragmentOffsetBytes, int timeToLive, int protocol, Ipv4Address source,
                       Ipv4Address destination, byte[] options, int payloadLength) implements Ipv4Header {
    private static final byte[] NO_OPTIONS = new byte[0];

    /** Validates the fields and copies the options. */
    public Ipv4Repr {
        Bytes.requireRange("dscp", dscp, 0, 63);
        Bytes.requireRange("ecn", ecn, 0, 3);
        Bytes.requireU16("identification", identification);
        if (fragmentOffsetBytes < 0 || fragmentOffsetBytes % 8 != 0
                || fragmentOffsetBytes / 8 > Ipv4Descriptor.FRAGMENT_OFFSET_MASK) {
            throw new IllegalArgumentException("fragmentOffsetBytes must be a multiple of 8 in [0, 65528]: "
                    + fragmentOffsetBytes);
        }
        Bytes.requireU8("timeToLive", timeToLive);
        Bytes.requireU8("protocol", protocol);
        if (source == null || destination == null) {
            throw new IllegalArgumentException("addresses must not be null: " + source + ", " + destination);
        }
        options = options == null || options.length == 0 ? NO_OPTIONS : options.clone();
        if (options.length % 4 != 0 || options.length > Ipv4Descriptor.MAX_HEADER_LENGTH - Ipv4Descriptor.MIN_HEADER_LENGTH) {
            throw new IllegalArgumentException("options must be a multiple of 4 up to 40 bytes: " + options.length);
        }
        int headerLength = Ipv4Descriptor.MIN_HEADER_LENGTH + options.length;
        Bytes.requireRange("payloadLength", payloadLength, 0, Ipv4Descriptor.MAX_TOTAL_LENGTH - headerLength);
    }

    /** A datagram without options or fragmentation, TTL 64, DF set (as most stacks send). */
    public static Ipv4Repr simple(int protocol, Ipv4Address source, Ipv4Address destination, int identification,
                                  int payloadLength) {
        return new Ipv4Repr(0, 0, identification, true, false, 0, 64, protocol, source, destination, null,
                payloadLength);
    }

    /** This header for a payload of {@code newPayloadLength} bytes (for instance after re-encoding it). */
    public Ipv4Repr withPayloadLength(int newPayloadLength) {
        return new Ipv4Repr(dscp, ecn, identification, dontFragment, moreFragments, fragmentOffsetBytes, timeToLive,
                protocol, source, destination, options, newPayloadLength);
    }

    /** Parses a datagram that passed {@link Ipv4Packet#check}. */
    public static Ipv4Repr parse(Ipv4Packet packet) {
        return parse(packet, new Ipv4Address(packet.sourceAddress()), new Ipv4Address(packet.destinationAddress()));
    }

    /** Parses with the addresses given (equal to the packet's: a parser reuses the instances it made before). */
    static Ipv4Repr parse(Ipv4Packet packet, Ipv4Address source, Ipv4Address destination) {
        int optionsLength = packet.headerLength() - Ipv4Descriptor.MIN_HEADER_LENGTH;
        byte[] options = optionsLength == 0 ? NO_OPTIONS : packet.options().toArray(ValueLayout.JAVA_BYTE);
        return new Ipv4Repr(packet.dscp(), packet.ecn(), packet.identification(), packet.dontFragment(),
                packet.moreFragments(), packet.fragmentOffsetBytes(), packet.timeToLive(), packet.protocol(),
                source, destination, options, packet.payloadLength());
    }

    /** The option bytes (a copy). */
    @Override
    public byte[] options() {
        return options.clone();
    }

    /** Itself: a record is immutable already. */
    @Override
    public Ipv4Repr toRepr() {
        return this;
    }

    /** Header length in bytes: 20 plus the options. */
    @Override
    public int headerLength() {
        return Ipv4Descriptor.MIN_HEADER_LENGTH + options.length;
    }

    /**
     * Writes the header, with its checksum, into {@code packet}, which must be at least
     * {@link #bufferLength()} long. The payload bytes are not touched.
     */
    @Override
    public void emit(Ipv4Packet packet) {
        if (packet.length() < bufferLength()) {
            throw new IllegalArgumentException("packet shorter than the datagram: " + packet.length() + " < "
                    + bufferLength());
        }
        if (options.length > 0) {
            MemorySegment.copy(options, 0, packet.segment(), ValueLayout.JAVA_BYTE,
                    packet.offset() + Ipv4Descriptor.MIN_HEADER_LENGTH, options.length);
        }
        emitFields(packet, headerLength(), dscp, ecn, identification, dontFragment, moreFragments,
                fragmentOffsetBytes, timeToLive, protocol, source.value(), destination.value(), payloadLength);
    }

    /**
     * Writes an optionless header straight from its fields, then its checksum: what
     * {@link #emit} writes for such a header, without a repr (a stack's send path builds none).
     * The fields must be valid as the constructor requires.
     */
    public static void emitHeader(Ipv4Packet packet, int identification, boolean moreFragments,
                                  int fragmentOffsetBytes, int timeToLive, int protocol, int source, int destination,
                                  int payloadLength) {
        int total = Ipv4Descriptor.MIN_HEADER_LENGTH + payloadLength;
        if (packet.length() < total || total > Ipv4Descriptor.MAX_TOTAL_LENGTH) {
            throw new IllegalArgumentException("packet of " + packet.length() + " bytes for a datagram of " + total);
        }
        emitFields(packet, Ipv4Descriptor.MIN_HEADER_LENGTH, 0, 0, identification, false, moreFragments,
                fragmentOffsetBytes, timeToLive, protocol, source, destination, payloadLength);
    }

    private static void emitFields(Ipv4Packet packet, int headerLength, int dscp, int ecn, int identification,
                                   boolean dontFragment, boolean moreFragments, int fragmentOffsetBytes,
                                   int timeToLive, int protocol, int source, int destination, int payloadLength) {
        packet.putU8(Ipv4Descriptor.VERSION_IHL_OFFSET, (Ipv4Descriptor.VERSION << 4) | (headerLength / 4));
        packet.putU8(Ipv4Descriptor.DSCP_ECN_OFFSET, (dscp << 2) | ecn);
        packet.setTotalLength(headerLength + payloadLength);
        packet.setIdentification(identification);
        int flags = (dontFragment ? Ipv4Descriptor.FLAG_DONT_FRAGMENT : 0)
                | (moreFragments ? Ipv4Descriptor.FLAG_MORE_FRAGMENTS : 0);
        packet.putU16(Ipv4Descriptor.FLAGS_FRAGMENT_OFFSET, flags | (fragmentOffsetBytes / 8));
        packet.setTimeToLive(timeToLive);
        packet.setProtocol(protocol);
        packet.setSourceAddress(source);
        packet.setDestinationAddress(destination);
        packet.fillChecksum();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ipv4Repr r && dscp == r.dscp && ecn == r.ecn && identification == r.identification
                && dontFragment == r.dontFragment && moreFragments == r.moreFragments
                && fragmentOffsetBytes == r.fragmentOffsetBytes && timeToLive == r.timeToLive
                && protocol == r.protocol && source.equals(r.source) && destination.equals(r.destination)
                && Arrays.equals(options, r.options) && payloadLength == r.payloadLength;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * identification + source.hashCode()) + destination.hashCode())
                + 17 * Arrays.hashCode(options) + payloadLength + protocol;
    }

    @Override
    public String toString() {
        return "Ipv4Repr[" + source + " > " + destination + " proto=" + protocol + " id=" + identification
                + " ttl=" + timeToLive + " dscp=" + dscp + " ecn=" + ecn + (dontFragment ? " DF" : "")
                + (moreFragments ? " MF" : "") + " frag=" + fragmentOffsetBytes
                + (options.length > 0 ? " options=" + HexFormat.of().formatHex(options) : "")
                + " payload=" + payloadLength + "]";
    }
}
