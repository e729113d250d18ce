package dev.libos.net.wire;

import static dev.libos.net.wire.IcmpDescriptor.*;

/**
 * A parsed ICMP message (RFC 792): echo request and reply, destination unreachable and time
 * exceeded are understood; every other type is carried opaque. The data (echo data, or the
 * original datagram of an error) stays in the view's payload; records only carry its length.
 * The code of an echo message is ignored on receipt (RFC 792 defines only code 0) and the
 * unused high half of an unreachable message's second word is not kept.
 */
public sealed interface IcmpRepr {
    /** Message type. */
    int type();

    /** Message code. */
    int code();

    /** The second header word as it is on the wire. */
    int restOfHeader();

    /** Bytes of data after the 8-byte header. */
    int payloadLength();

    /** Header plus data: the ICMP message length. */
    default int bufferLength() {
        return HEADER_LENGTH + payloadLength();
    }

    /**
     * Writes the header of this message into {@code packet} and then the checksum over the
     * whole view, so the view's length must be {@link #bufferLength()} and its data must already
     * be in place (or call {@link IcmpPacket#fillChecksum()} after writing it).
     */
    default void emit(IcmpPacket packet) {
        if (packet.length() != bufferLength()) {
            throw new IllegalArgumentException("ICMP view length " + packet.length() + " != message length "
                    + bufferLength());
        }
        packet.setType(type());
        packet.setCode(code());
        packet.setRestOfHeader(restOfHeader());
        packet.fillChecksum();
    }

    /** Parses a message that passed {@link IcmpPacket#check}. */
    static IcmpRepr parse(IcmpPacket packet) {
        int payloadLength = packet.payloadLength();
        return switch (packet.type()) {
            case TYPE_ECHO_REQUEST -> new EchoRequest(packet.identifier(), packet.sequenceNumber(), payloadLength);
            case TYPE_ECHO_REPLY -> new EchoReply(packet.identifier(), packet.sequenceNumber(), payloadLength);
            // The high half of the second word is unused; only the next-hop MTU (RFC 1191) is kept.
            case TYPE_DESTINATION_UNREACHABLE ->
                    new DestinationUnreachable(packet.code(), packet.nextHopMtu(), payloadLength);
            case TYPE_TIME_EXCEEDED -> new TimeExceeded(packet.code(), payloadLength);
            default -> new Other(packet.type(), packet.code(), packet.restOfHeader(), payloadLength);
        };
    }

    private static int requirePayload(int payloadLength) {
        return Bytes.requireRange("payloadLength", payloadLength, 0, 0xFFFF - HEADER_LENGTH);
    }

    private static void requireEchoFields(int identifier, int sequenceNumber, int payloadLength) {
        Bytes.requireU16("identifier", identifier);
        Bytes.requireU16("sequenceNumber", sequenceNumber);
        requirePayload(payloadLength);
    }

    /**
     * An echo request or reply: one format for both (RFC 792 "Echo or Echo Reply Message"),
     * code 0 and the identifier and sequence number in the second header word.
     */
    sealed interface Echo extends IcmpRepr {
        /** Identifier, 0 to 65535. */
        int identifier();

        /** Sequence number, 0 to 65535. */
        int sequenceNumber();

        @Override
        default int code() {
            return 0;
        }

        @Override
        default int restOfHeader() {
            return (identifier() << 16) | sequenceNumber();
        }
    }

    /**
     * Echo request (type 8, code 0).
     *
     * @param identifier     0 to 65535
     * @param sequenceNumber 0 to 65535
     * @param payloadLength  echo data length
     */
    record EchoRequest(int identifier, int sequenceNumber, int payloadLength) implements Echo {
        /** Validates the fields. */
        public EchoRequest {
            requireEchoFields(identifier, sequenceNumber, payloadLength);
        }

        @Override
        public int type() {
            return TYPE_ECHO_REQUEST;
        }

        /** The reply to this request: same identifier, sequence number and data (RFC 792 "Echo"). */
        public EchoReply reply() {
            return new EchoReply(identifier, sequenceNumber, payloadLength);
        }
    }

    /**
     * Echo reply (type 0, code 0).
     *
     * @param identifier     0 to 65535
     * @param sequenceNumber 0 to 65535
     * @param payloadLength  echo data length
     */
    record EchoReply(int identifier, int sequenceNumber, int payloadLength) implements Echo {
        /** Validates the fields. */
        public EchoReply {
            requireEchoFields(identifier, sequenceNumber, payloadLength);
        }

        @Override
        public int type() {
            return TYPE_ECHO_REPLY;
        }
    }

    /**
     * Destination unreachable (type 3).
     *
     * @param code          0 to 255 (RFC 792 defines 0 to 5, RFC 1122 6 to 12, RFC 1812 13 to 15)
     * @param nextHopMtu    next-hop MTU for code 4 (RFC 1191), otherwise 0
     * @param payloadLength length of the quoted original datagram
     */
    record DestinationUnreachable(int code, int nextHopMtu, int payloadLength) implements IcmpRepr {
        /** Validates the fields. */
        public DestinationUnreachable {
            Bytes.requireU8("code", code);
            Bytes.requireU16("nextHopMtu", nextHopMtu);
            requirePayload(payloadLength);
        }

        @Override
        public int type() {
            return TYPE_DESTINATION_UNREACHABLE;
        }

        @Override
        public int restOfHeader() {
            return nextHopMtu;
        }
    }

    /**
     * Time exceeded (type 11).
     *
     * @param code          0: TTL exceeded in transit, 1: reassembly time exceeded
     * @param payloadLength length of the quoted original datagram
     */
    record TimeExceeded(int code, int payloadLength) implements IcmpRepr {
        /** Validates the fields. */
        public TimeExceeded {
            Bytes.requireU8("code", code);
            requirePayload(payloadLength);
        }

        @Override
        public int type() {
            return TYPE_TIME_EXCEEDED;
        }

        @Override
        public int restOfHeader() {
            return 0;
        }
    }

    /**
     * Any other type, carried opaque.
     *
     * @param type          0 to 255, not one of the types above
     * @param code          0 to 255
     * @param restOfHeader  the second header word
     * @param payloadLength data length
     */
    record Other(int type, int code, int restOfHeader, int payloadLength) implements IcmpRepr {
        /** Validates the fields. */
        public Other {
            Bytes.requireU8("type", type);
            if (type == TYPE_ECHO_REQUEST || type == TYPE_ECHO_REPLY || type == TYPE_DESTINATION_UNREACHABLE
                    || type == TYPE_TIME_EXCEEDED) {
                throw new IllegalArgumentException("type " + type + " has its own record, not Other");
            }
            Bytes.requireU8("code", code);
            requirePayload(payloadLength);
        }
    }
}
