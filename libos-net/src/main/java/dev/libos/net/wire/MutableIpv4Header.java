package dev.libos.net.wire;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * The IPv4 header a {@link FrameParser} fills again for every datagram it parses: handed out
 * for the length of one call, overwritten by the next frame, so whoever keeps a header keeps
 * {@link #toRepr()}. Options are held in a fixed 40-byte array, so filling it never allocates.
 * Equality is identity (it is a buffer, not a value). Owned by one thread.
 */
public final class MutableIpv4Header implements Ipv4Header {
    private final byte[] options = new byte[Ipv4Descriptor.MAX_HEADER_LENGTH - Ipv4Descriptor.MIN_HEADER_LENGTH];
    private int optionsLength;
    private int dscp;
    private int ecn;
    private int identification;
    private boolean dontFragment;
    private boolean moreFragments;
    private int fragmentOffsetBytes;
    private int timeToLive;
    private int protocol;
    private Ipv4Address source = Ipv4Address.UNSPECIFIED;
    private Ipv4Address destination = Ipv4Address.UNSPECIFIED;
    private int payloadLength;

    /**
     * Sets the fields from a datagram that passed {@link Ipv4Packet#check}, with its addresses
     * given (equal to the packet's: the parser reuses the instances it made before).
     */
    MutableIpv4Header set(Ipv4Packet packet, Ipv4Address source, Ipv4Address destination) {
        optionsLength = packet.headerLength() - Ipv4Descriptor.MIN_HEADER_LENGTH;
        if (optionsLength > 0) {
            MemorySegment.copy(packet.segment(), ValueLayout.JAVA_BYTE, packet.offset() + Ipv4Descriptor.MIN_HEADER_LENGTH,
                    options, 0, optionsLength);
        }
        dscp = packet.dscp();
        ecn = packet.ecn();
        identification = packet.identification();
        dontFragment = packet.dontFragment();
        moreFragments = packet.moreFragments();
        fragmentOffsetBytes = packet.fragmentOffsetBytes();
        timeToLive = packet.timeToLive();
        protocol = packet.protocol();
        this.source = source;
        this.destination = destination;
        payloadLength = packet.payloadLength();
        return this;
    }

    @Override
    public int dscp() {
        return dscp;
    }

    @Override
    public int ecn() {
        return ecn;
    }

    @Override
    public int identification() {
        return identification;
    }

    @Override
    public boolean dontFragment() {
        return dontFragment;
    }

    @Override
    public boolean moreFragments() {
        return moreFragments;
    }

    @Override
    public int fragmentOffsetBytes() {
        return fragmentOffsetBytes;
    }

    @Override
    public int timeToLive() {
        return timeToLive;
    }

    @Override
    public int protocol() {
        return protocol;
    }

    @Override
    public Ipv4Address source() {
        return source;
    }

    @Override
    public Ipv4Address destination() {
        return destination;
    }

    @Override
    public byte[] options() {
        return Arrays.copyOf(options, optionsLength);
    }

    @Override
    public int payloadLength() {
        return payloadLength;
    }

    @Override
    public int headerLength() {
        return Ipv4Descriptor.MIN_HEADER_LENGTH + optionsLength;
    }

    @Override
    public Ipv4Repr toRepr() {
        return new Ipv4Repr(dscp, ecn, identification, dontFragment, moreFragments, fragmentOffsetBytes, timeToLive,
                protocol, source, destination, options(), payloadLength);
    }

    @Override
    public String toString() {
        return "Mutable" + toRepr();
    }
}
