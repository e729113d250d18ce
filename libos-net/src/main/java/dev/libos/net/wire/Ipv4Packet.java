package dev.libos.net.wire;

import static dev.libos.net.wire.Ipv4Descriptor.*;

import java.lang.foreign.MemorySegment;

/**
 * A flyweight over an IPv4 datagram; see {@link Ipv4Descriptor} for the layout. The view's
 * length is the buffer (for instance an Ethernet payload with padding); the datagram is its
 * first {@link #totalLength()} bytes.
 */
public final class Ipv4Packet extends WireView {
    /**
     * Validates {@code length} bytes at {@code offset} as an IPv4 datagram: version 4, a header
     * length of at least 20 bytes within the total length, a total length within the bytes
     * present, and a header checksum that verifies (RFC 791 section 3.1; RFC 1122 section
     * 3.2.1.1 and 3.2.1.2 require silently discarding datagrams that fail the version and
     * checksum tests).
     *
     * @return OK or an {@code IPV4_*} reason; never throws on malformed input
     */
    public static WireCheck check(MemorySegment segment, long offset, int length) {
        if (truncated(segment, offset, length, MIN_HEADER_LENGTH)) {
            return WireCheck.IPV4_TRUNCATED;
        }
        int versionIhl = Bytes.u8(segment, offset + VERSION_IHL_OFFSET);
        if (versionIhl >>> 4 != VERSION) {
            return WireCheck.IPV4_BAD_VERSION;
        }
        int headerLength = (versionIhl & 0xF) * 4;
        if (headerLength < MIN_HEADER_LENGTH || headerLength > length) {
            return WireCheck.IPV4_BAD_HEADER_LENGTH;
        }
        int totalLength = Bytes.u16(segment, offset + TOTAL_LENGTH_OFFSET);
        if (totalLength < headerLength || totalLength > length) {
            return WireCheck.IPV4_BAD_TOTAL_LENGTH;
        }
        if (!Checksum.verifies(Checksum.sum(segment, offset, headerLength))) {
            return WireCheck.IPV4_BAD_CHECKSUM;
        }
        return WireCheck.OK;
    }

    /** Wraps without validation (for building datagrams); returns this view. */
    public Ipv4Packet wrap(MemorySegment segment, long offset, int length) {
        bind(segment, offset, length);
        return this;
    }

    /** Validates, and wraps when the result is OK (the view is unchanged otherwise). */
    public WireCheck wrapChecked(MemorySegment segment, long offset, int length) {
        return bindIfOk(check(segment, offset, length), segment, offset, length);
    }

    /** Version field. */
    public int version() {
        return u8(VERSION_IHL_OFFSET) >>> 4;
    }

    /** Sets the version field (0 to 15). */
    public void setVersion(int version) {
        Bytes.requireRange("version", version, 0, 15);
        putU8(VERSION_IHL_OFFSET, (version << 4) | (u8(VERSION_IHL_OFFSET) & 0xF));
    }

    /** Header length in bytes (IHL times 4). */
    public int headerLength() {
        return (u8(VERSION_IHL_OFFSET) & 0xF) * 4;
    }

    /** Sets the header length in bytes: a multiple of 4 from 0 to 60. */
    public void setHeaderLength(int headerLengthBytes) {
        if (headerLengthBytes < 0 || headerLengthBytes > MAX_HEADER_LENGTH || headerLengthBytes % 4 != 0) {
            throw new IllegalArgumentException("headerLength must be a multiple of 4 in [0, 60]: " + headerLengthBytes);
        }
        putU8(VERSION_IHL_OFFSET, (u8(VERSION_IHL_OFFSET) & 0xF0) | (headerLengthBytes / 4));
    }

    /** Differentiated services code point (RFC 2474), 6 bits. */
    public int dscp() {
        return u8(DSCP_ECN_OFFSET) >>> 2;
    }

    /** Sets the DSCP, 0 to 63. */
    public void setDscp(int dscp) {
        Bytes.requireRange("dscp", dscp, 0, 63);
        putU8(DSCP_ECN_OFFSET, (dscp << 2) | (u8(DSCP_ECN_OFFSET) & 0x3));
    }

    /** Explicit congestion notification (RFC 3168), 2 bits. */
    public int ecn() {
        return u8(DSCP_ECN_OFFSET) & 0x3;
    }

    /** Sets the ECN bits, 0 to 3. */
    public void setEcn(int ecn) {
        Bytes.requireRange("ecn", ecn, 0, 3);
        putU8(DSCP_ECN_OFFSET, (u8(DSCP_ECN_OFFSET) & 0xFC) | ecn);
    }

    /** Total length of header and data in bytes. */
    public int totalLength() {
        return u16(TOTAL_LENGTH_OFFSET);
    }

    /** Sets the total length. */
    public void setTotalLength(int totalLength) {
        putU16(TOTAL_LENGTH_OFFSET, Bytes.requireU16("totalLength", totalLength));
    }

    /** Identification. */
    public int identification() {
        return u16(IDENTIFICATION_OFFSET);
    }

    /** Sets the identification. */
    public void setIdentification(int identification) {
        putU16(IDENTIFICATION_OFFSET, Bytes.requireU16("identification", identification));
    }

    /** The reserved flag (must be zero on send, RFC 791). */
    public boolean reservedFlag() {
        return (u16(FLAGS_FRAGMENT_OFFSET) & FLAG_RESERVED) != 0;
    }

    /** Sets the reserved flag. */
    public void setReservedFlag(boolean value) {
        setFlag(FLAG_RESERVED, value);
    }

    /** The don't-fragment flag. */
    public boolean dontFragment() {
        return (u16(FLAGS_FRAGMENT_OFFSET) & FLAG_DONT_FRAGMENT) != 0;
    }

    /** Sets the don't-fragment flag. */
    public void setDontFragment(boolean value) {
        setFlag(FLAG_DONT_FRAGMENT, value);
    }

    /** The more-fragments flag. */
    public boolean moreFragments() {
        return (u16(FLAGS_FRAGMENT_OFFSET) & FLAG_MORE_FRAGMENTS) != 0;
    }

    /** Sets the more-fragments flag. */
    public void setMoreFragments(boolean value) {
        setFlag(FLAG_MORE_FRAGMENTS, value);
    }

    private void setFlag(int flag, boolean value) {
        int word = u16(FLAGS_FRAGMENT_OFFSET);
        putU16(FLAGS_FRAGMENT_OFFSET, value ? word | flag : word & ~flag);
    }

    /** Fragment offset in bytes (the field counts 8-byte units). */
    public int fragmentOffsetBytes() {
        return (u16(FLAGS_FRAGMENT_OFFSET) & FRAGMENT_OFFSET_MASK) * 8;
    }

    /** Sets the fragment offset in bytes: a multiple of 8 below 65536. */
    public void setFragmentOffsetBytes(int fragmentOffsetBytes) {
        if (fragmentOffsetBytes < 0 || fragmentOffsetBytes % 8 != 0 || fragmentOffsetBytes / 8 > FRAGMENT_OFFSET_MASK) {
            throw new IllegalArgumentException("fragmentOffsetBytes must be a multiple of 8 in [0, 65528]: "
                    + fragmentOffsetBytes);
        }
        int word = u16(FLAGS_FRAGMENT_OFFSET);
        putU16(FLAGS_FRAGMENT_OFFSET, (word & ~FRAGMENT_OFFSET_MASK) | (fragmentOffsetBytes / 8));
    }

    /** Time to live. */
    public int timeToLive() {
        return u8(TTL_OFFSET);
    }

    /** Sets the time to live. */
    public void setTimeToLive(int ttl) {
        putU8(TTL_OFFSET, Bytes.requireU8("timeToLive", ttl));
    }

    /** Protocol of the payload, see {@link IpProtocol}. */
    public int protocol() {
        return u8(PROTOCOL_OFFSET);
    }

    /** Sets the protocol. */
    public void setProtocol(int protocol) {
        putU8(PROTOCOL_OFFSET, Bytes.requireU8("protocol", protocol));
    }

    /** Header checksum field. */
    public int headerChecksum() {
        return u16(CHECKSUM_OFFSET);
    }

    /** Sets the header checksum field. */
    public void setHeaderChecksum(int checksum) {
        putU16(CHECKSUM_OFFSET, Bytes.requireU16("headerChecksum", checksum));
    }

    /** Source address. */
    public int sourceAddress() {
        return i32(SOURCE_OFFSET);
    }

    /** Sets the source address. */
    public void setSourceAddress(int address) {
        putI32(SOURCE_OFFSET, address);
    }

    /** Destination address. */
    public int destinationAddress() {
        return i32(DESTINATION_OFFSET);
    }

    /** Sets the destination address. */
    public void setDestinationAddress(int address) {
        putI32(DESTINATION_OFFSET, address);
    }

    /** The option bytes (between the fixed header and {@link #headerLength()}) as a writable slice. */
    public MemorySegment options() {
        return slice(MIN_HEADER_LENGTH, headerLength() - MIN_HEADER_LENGTH);
    }

    /** Offset of the payload from the start of the datagram. */
    public int payloadOffset() {
        return headerLength();
    }

    /** Payload length: total length minus header length. */
    public int payloadLength() {
        return totalLength() - headerLength();
    }

    /** The payload as a slice (Ethernet padding beyond the total length excluded). */
    public MemorySegment payload() {
        return slice(headerLength(), payloadLength());
    }

    /** True when the header checksum verifies. */
    public boolean checksumValid() {
        return Checksum.verifies(Checksum.sum(segment, offset, headerLength()));
    }

    /** Computes and stores the header checksum over {@link #headerLength()} bytes. */
    public void fillChecksum() {
        setHeaderChecksum(0);
        setHeaderChecksum(Checksum.compute(segment, offset, headerLength()));
    }
}
