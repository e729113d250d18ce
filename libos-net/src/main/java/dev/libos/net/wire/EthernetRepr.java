package dev.libos.net.wire;

/**
 * A parsed Ethernet II header.
 *
 * @param destination destination MAC address
 * @param source      source MAC address
 * @param etherType   EtherType of the payload, 0 to 65535
 */
public record EthernetRepr(MacAddress destination, MacAddress source, int etherType) {
    /** Validates the fields. */
    public EthernetRepr {
        if (destination == null || source == null) {
            throw new IllegalArgumentException("addresses must not be null: " + destination + ", " + source);
        }
        Bytes.requireU16("etherType", etherType);
    }

    /** Parses a frame that passed {@link EthernetFrame#check}. */
    public static EthernetRepr parse(EthernetFrame frame) {
        return new EthernetRepr(new MacAddress(frame.destination()), new MacAddress(frame.source()),
                frame.etherType());
    }

    /** Writes the header into {@code frame}, which must be at least {@link #headerLength()} long. */
    public void emit(EthernetFrame frame) {
        if (frame.length() < headerLength()) {
            throw new IllegalArgumentException("frame too short for the header: " + frame.length());
        }
        frame.setDestination(destination.value());
        frame.setSource(source.value());
        frame.setEtherType(etherType);
    }

    /** The header length, 14 bytes. */
    public int headerLength() {
        return EthernetDescriptor.HEADER_LENGTH;
    }

    /**
     * The frame length for a payload of {@code payloadLength} bytes. Padding up to
     * {@link EthernetDescriptor#MINIMUM_FRAME_LENGTH} is left to the device.
     */
    public int bufferLength(int payloadLength) {
        if (payloadLength < 0) {
            throw new IllegalArgumentException("payloadLength must be >= 0: " + payloadLength);
        }
        return EthernetDescriptor.HEADER_LENGTH + payloadLength;
    }
}
