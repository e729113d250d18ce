package dev.libos.net.wire;

import static dev.libos.net.wire.ArpDescriptor.*;

import java.lang.foreign.MemorySegment;

/** A flyweight over an ARP packet; see {@link ArpDescriptor} for the layout. */
public final class ArpPacket extends WireView {
    /**
     * Validates {@code length} bytes at {@code offset} as an Ethernet/IPv4 ARP request or reply.
     *
     * @return OK, {@link WireCheck#ARP_TRUNCATED}, {@link WireCheck#ARP_UNSUPPORTED_FORMAT} or
     *         {@link WireCheck#ARP_UNSUPPORTED_OPERATION}; never throws on malformed input
     */
    public static WireCheck check(MemorySegment segment, long offset, int length) {
        if (truncated(segment, offset, length, FIXED_LENGTH)) {
            return WireCheck.ARP_TRUNCATED;
        }
        int hardwareLength = Bytes.u8(segment, offset + HARDWARE_LENGTH_OFFSET);
        int protocolLength = Bytes.u8(segment, offset + PROTOCOL_LENGTH_OFFSET);
        // RFC 826: the packet carries two (hardware, protocol) address pairs after the fixed part.
        if (length < FIXED_LENGTH + 2 * (hardwareLength + protocolLength)) {
            return WireCheck.ARP_TRUNCATED;
        }
        if (Bytes.u16(segment, offset + HARDWARE_TYPE_OFFSET) != HARDWARE_TYPE_ETHERNET
                || Bytes.u16(segment, offset + PROTOCOL_TYPE_OFFSET) != EtherType.IPV4
                || hardwareLength != ETHERNET_ADDRESS_LENGTH || protocolLength != IPV4_ADDRESS_LENGTH) {
            return WireCheck.ARP_UNSUPPORTED_FORMAT;
        }
        if (ArpOperation.ofCode(Bytes.u16(segment, offset + OPERATION_OFFSET)) == null) {
            return WireCheck.ARP_UNSUPPORTED_OPERATION;
        }
        return WireCheck.OK;
    }

    /** Wraps without validation (for building packets); returns this view. */
    public ArpPacket wrap(MemorySegment segment, long offset, int length) {
        bind(segment, offset, length);
        return this;
    }

    /** Validates, and wraps when the result is OK (the view is unchanged otherwise). */
    public WireCheck wrapChecked(MemorySegment segment, long offset, int length) {
        return bindIfOk(check(segment, offset, length), segment, offset, length);
    }

    /** Hardware type (1 for Ethernet). */
    public int hardwareType() {
        return u16(HARDWARE_TYPE_OFFSET);
    }

    /** Sets the hardware type. */
    public void setHardwareType(int value) {
        putU16(HARDWARE_TYPE_OFFSET, Bytes.requireU16("hardwareType", value));
    }

    /** Protocol type (an EtherType; 0x0800 for IPv4). */
    public int protocolType() {
        return u16(PROTOCOL_TYPE_OFFSET);
    }

    /** Sets the protocol type. */
    public void setProtocolType(int value) {
        putU16(PROTOCOL_TYPE_OFFSET, Bytes.requireU16("protocolType", value));
    }

    /** Hardware address length in bytes. */
    public int hardwareLength() {
        return u8(HARDWARE_LENGTH_OFFSET);
    }

    /** Sets the hardware address length. */
    public void setHardwareLength(int value) {
        putU8(HARDWARE_LENGTH_OFFSET, Bytes.requireU8("hardwareLength", value));
    }

    /** Protocol address length in bytes. */
    public int protocolLength() {
        return u8(PROTOCOL_LENGTH_OFFSET);
    }

    /** Sets the protocol address length. */
    public void setProtocolLength(int value) {
        putU8(PROTOCOL_LENGTH_OFFSET, Bytes.requireU8("protocolLength", value));
    }

    /** Operation code, see {@link ArpOperation}. */
    public int operation() {
        return u16(OPERATION_OFFSET);
    }

    /** Sets the operation code. */
    public void setOperation(int value) {
        putU16(OPERATION_OFFSET, Bytes.requireU16("operation", value));
    }

    /** Sender MAC address in the low 48 bits. */
    public long senderHardwareAddress() {
        return u48(SENDER_HARDWARE_ADDRESS_OFFSET);
    }

    /** Sets the sender MAC address. */
    public void setSenderHardwareAddress(long mac) {
        putU48(SENDER_HARDWARE_ADDRESS_OFFSET, mac);
    }

    /** Sender IPv4 address. */
    public int senderProtocolAddress() {
        return i32(SENDER_PROTOCOL_ADDRESS_OFFSET);
    }

    /** Sets the sender IPv4 address. */
    public void setSenderProtocolAddress(int address) {
        putI32(SENDER_PROTOCOL_ADDRESS_OFFSET, address);
    }

    /** Target MAC address in the low 48 bits. */
    public long targetHardwareAddress() {
        return u48(TARGET_HARDWARE_ADDRESS_OFFSET);
    }

    /** Sets the target MAC address. */
    public void setTargetHardwareAddress(long mac) {
        putU48(TARGET_HARDWARE_ADDRESS_OFFSET, mac);
    }

    /** Target IPv4 address. */
    public int targetProtocolAddress() {
        return i32(TARGET_PROTOCOL_ADDRESS_OFFSET);
    }

    /** Sets the target IPv4 address. */
    public void setTargetProtocolAddress(int address) {
        putI32(TARGET_PROTOCOL_ADDRESS_OFFSET, address);
    }
}
