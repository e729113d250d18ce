package dev.libos.net.wire;

/**
 * What {@link FrameParser} made of one Ethernet frame: a drop with its reason, or the parsed
 * chain of headers. Payload offsets are relative to the start of the frame.
 */
public sealed interface FrameSummary {
    /** True unless this is a {@link Dropped}. */
    default boolean accepted() {
        return !(this instanceof Dropped);
    }

    /**
     * The frame was dropped; one shared instance per reason, so a drop allocates nothing.
     *
     * @param reason why, never {@link WireCheck#OK}
     */
    record Dropped(WireCheck reason) implements FrameSummary {
        private static final Dropped[] BY_REASON = new Dropped[WireCheck.values().length];

        static {
            for (WireCheck reason : WireCheck.values()) {
                if (!reason.ok()) {
                    BY_REASON[reason.ordinal()] = new Dropped(reason);
                }
            }
        }

        /** Validates the reason. */
        public Dropped {
            if (reason == null || reason.ok()) {
                throw new IllegalArgumentException("a drop needs a reason other than OK: " + reason);
            }
        }

        /** The shared instance for {@code reason}. */
        public static Dropped of(WireCheck reason) {
            if (reason == null || reason.ok()) {
                throw new IllegalArgumentException("a drop needs a reason other than OK: " + reason);
            }
            return BY_REASON[reason.ordinal()];
        }
    }

    /**
     * An IPv4 datagram whose IPv4 header, and transport header where parsed, passed every check
     * (the transport checksum included): what the IP layer hands a transport handler.
     */
    sealed interface Datagram extends FrameSummary permits Icmp, Udp, Tcp, Ipv4Unparsed {
        /** The Ethernet header (of the last fragment, for a reassembled datagram). */
        EthernetRepr ethernet();

        /** The IPv4 header. */
        Ipv4Repr ipv4();

        /** Offset of the data after the parsed headers, from the start of what was parsed. */
        int payloadOffset();

        /** Length of the data after the parsed headers. */
        int payloadLength();

        /** Offset of the IPv4 payload (the transport header), from the start of what was parsed. */
        default int transportOffset() {
            return switch (this) {
                case Icmp m -> m.payloadOffset() - IcmpDescriptor.HEADER_LENGTH;
                case Udp m -> m.payloadOffset() - UdpDescriptor.HEADER_LENGTH;
                case Tcp m -> m.payloadOffset() - m.tcp().headerLength();
                case Ipv4Unparsed m -> m.payloadOffset();
            };
        }
    }

    /**
     * An ARP request or reply.
     *
     * @param ethernet the Ethernet header
     * @param arp      the ARP packet
     */
    record Arp(EthernetRepr ethernet, ArpRepr arp) implements FrameSummary {
    }

    /**
     * An ICMP message.
     *
     * @param ethernet      the Ethernet header
     * @param ipv4          the IPv4 header
     * @param icmp          the ICMP message
     * @param payloadOffset offset of the ICMP data in the frame
     * @param payloadLength length of the ICMP data
     */
    record Icmp(EthernetRepr ethernet, Ipv4Repr ipv4, IcmpRepr icmp, int payloadOffset, int payloadLength)
            implements Datagram {
    }

    /**
     * A UDP datagram.
     *
     * @param ethernet      the Ethernet header
     * @param ipv4          the IPv4 header
     * @param udp           the UDP header
     * @param payloadOffset offset of the UDP data in the frame
     * @param payloadLength length of the UDP data
     */
    record Udp(EthernetRepr ethernet, Ipv4Repr ipv4, UdpRepr udp, int payloadOffset, int payloadLength)
            implements Datagram {
    }

    /**
     * A TCP segment.
     *
     * @param ethernet      the Ethernet header
     * @param ipv4          the IPv4 header
     * @param tcp           the TCP header
     * @param payloadOffset offset of the TCP data in the frame
     * @param payloadLength length of the TCP data
     */
    record Tcp(EthernetRepr ethernet, Ipv4Repr ipv4, TcpRepr tcp, int payloadOffset, int payloadLength)
            implements Datagram {
    }

    /**
     * A valid IPv4 datagram whose payload is not parsed here: a fragment (reassembly belongs to
     * the IPv4 layer; see {@link Ipv4Repr#isFragment()}) or a protocol other than ICMP, UDP and
     * TCP (to which the stack may answer protocol unreachable).
     *
     * @param ethernet      the Ethernet header
     * @param ipv4          the IPv4 header
     * @param payloadOffset offset of the IPv4 payload in the frame
     * @param payloadLength length of the IPv4 payload
     */
    record Ipv4Unparsed(EthernetRepr ethernet, Ipv4Repr ipv4, int payloadOffset, int payloadLength)
            implements Datagram {
    }
}
