package dev.libos.net.wire;

import java.util.Objects;

/**
 * What {@link FrameParser} made of one Ethernet frame: a drop with its reason, or the parsed
 * chain of headers. Payload offsets are relative to the start of the frame.
 *
 * <p>The IPv4 and TCP headers of a summary from a parser are the parser's reused {@link
 * MutableIpv4Header} and {@link MutableTcpHeader}, and a TCP summary is the parser's one
 * instance, filled again: a summary is valid until the parser's next call. Whoever keeps one
 * beyond the call keeps its {@link #copy()} (or its headers' {@code toRepr()}).
 */
public sealed interface FrameSummary {
    /** True unless this is a {@link Dropped}. */
    default boolean accepted() {
        return !(this instanceof Dropped);
    }

    /**
     * This summary with its IPv4 and TCP headers as records, in a summary of its own: safe to
     * keep beyond the parser's next call (itself when it holds nothing reused).
     */
    default FrameSummary copy() {
        return switch (this) {
            case Dropped d -> d;
            case Arp a -> a;
            case Icmp m -> new Icmp(m.ethernet(), m.ipv4().toRepr(), m.icmp(), m.payloadOffset(), m.payloadLength());
            case Udp m -> new Udp(m.ethernet(), m.ipv4().toRepr(), m.udp(), m.payloadOffset(), m.payloadLength());
            case Tcp m -> new Tcp(m.ethernet(), m.ipv4().toRepr(), m.tcp().toRepr(), m.payloadOffset(),
                    m.payloadLength());
            case Ipv4Unparsed m -> new Ipv4Unparsed(m.ethernet(), m.ipv4().toRepr(), m.payloadOffset(),
                    m.payloadLength());
        };
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

        /** The IPv4 header (the parser's reused one: valid during the call). */
        Ipv4Header ipv4();

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
    record Icmp(EthernetRepr ethernet, Ipv4Header ipv4, IcmpRepr icmp, int payloadOffset, int payloadLength)
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
    record Udp(EthernetRepr ethernet, Ipv4Header ipv4, UdpRepr udp, int payloadOffset, int payloadLength)
            implements Datagram {
    }

    /**
     * A TCP segment. Not a record: a parser fills its one instance again for every segment (so
     * a segment allocates no summary), which makes it valid until the parser's next call;
     * {@link #copy()} is the kind to keep. Equal when the parts are equal.
     */
    final class Tcp implements Datagram {
        private EthernetRepr ethernet;
        private Ipv4Header ipv4;
        private TcpHeader tcp;
        private int payloadOffset;
        private int payloadLength;

        /**
         * @param ethernet      the Ethernet header
         * @param ipv4          the IPv4 header
         * @param tcp           the TCP header
         * @param payloadOffset offset of the TCP data in the frame
         * @param payloadLength length of the TCP data
         */
        public Tcp(EthernetRepr ethernet, Ipv4Header ipv4, TcpHeader tcp, int payloadOffset, int payloadLength) {
            set(ethernet, ipv4, tcp, payloadOffset, payloadLength);
        }

        Tcp set(EthernetRepr ethernet, Ipv4Header ipv4, TcpHeader tcp, int payloadOffset, int payloadLength) {
            this.ethernet = ethernet;
            this.ipv4 = ipv4;
            this.tcp = tcp;
            this.payloadOffset = payloadOffset;
            this.payloadLength = payloadLength;
            return this;
        }

        @Override
        public EthernetRepr ethernet() {
            return ethernet;
        }

        @Override
        public Ipv4Header ipv4() {
            return ipv4;
        }

        /** The TCP header (the parser's reused one: valid during the call). */
        public TcpHeader tcp() {
            return tcp;
        }

        @Override
        public int payloadOffset() {
            return payloadOffset;
        }

        @Override
        public int payloadLength() {
            return payloadLength;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Tcp t && Objects.equals(ethernet, t.ethernet) && Objects.equals(ipv4, t.ipv4)
                    && Objects.equals(tcp, t.tcp) && payloadOffset == t.payloadOffset
                    && payloadLength == t.payloadLength;
        }

        @Override
        public int hashCode() {
            return Objects.hash(ethernet, ipv4, tcp, payloadOffset, payloadLength);
        }

        @Override
        public String toString() {
            return "Tcp[ethernet=" + ethernet + ", ipv4=" + ipv4 + ", tcp=" + tcp + ", payloadOffset=" + payloadOffset
                    + ", payloadLength=" + payloadLength + "]";
        }
    }

    /**
     * A valid IPv4 datagram whose payload is not parsed here: a fragment (reassembly belongs to
     * the IPv4 layer; see {@link Ipv4Header#isFragment()}) or a protocol other than ICMP, UDP and
     * TCP (to which the stack may answer protocol unreachable).
     *
     * @param ethernet      the Ethernet header
     * @param ipv4          the IPv4 header
     * @param payloadOffset offset of the IPv4 payload in the frame
     * @param payloadLength length of the IPv4 payload
     */
    record Ipv4Unparsed(EthernetRepr ethernet, Ipv4Header ipv4, int payloadOffset, int payloadLength)
            implements Datagram {
    }
}
