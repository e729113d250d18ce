package dev.libos.net.wire;

/**
 * A parsed UDP header (RFC 768).
 *
 * @param sourcePort      0 to 65535
 * @param destinationPort 0 to 65535
 * @param payloadLength   data length
 */
public record UdpRepr(int sourcePort, int destinationPort, int payloadLength) {
    /** Validates the fields. */
    public UdpRepr {
        Bytes.requireU16("sourcePort", sourcePort);
        Bytes.requireU16("destinationPort", destinationPort);
        Bytes.requireRange("payloadLength", payloadLength, 0, 0xFFFF - UdpDescriptor.HEADER_LENGTH);
    }

    /** Parses a datagram that passed {@link UdpDatagram#check}. */
    public static UdpRepr parse(UdpDatagram datagram) {
        return new UdpRepr(datagram.sourcePort(), datagram.destinationPort(), datagram.payloadLength());
    }

    /** Header plus data. */
    public int bufferLength() {
        return UdpDescriptor.HEADER_LENGTH + payloadLength;
    }

    /**
     * Writes the header into {@code datagram} and then the checksum over pseudo-header, header and
     * {@link #payloadLength()} bytes of data, which must already be in place (or call
     * {@link UdpDatagram#fillChecksum} after writing them).
     */
    public void emit(UdpDatagram datagram, Ipv4Address source, Ipv4Address destination) {
        emitHeader(datagram);
        datagram.fillChecksum(source.value(), destination.value());
    }

    /**
     * Writes ports and length and leaves the checksum field alone: for a datagram whose checksum
     * the device completes (transmit checksum offload).
     */
    public void emitHeader(UdpDatagram datagram) {
        if (datagram.length() < bufferLength()) {
            throw new IllegalArgumentException("datagram view shorter than " + bufferLength() + ": "
                    + datagram.length());
        }
        datagram.setSourcePort(sourcePort);
        datagram.setDestinationPort(destinationPort);
        datagram.setDatagramLength(bufferLength());
    }
}
