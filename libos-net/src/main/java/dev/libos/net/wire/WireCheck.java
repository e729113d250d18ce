package dev.libos.net.wire;

/**
 * The result of validating received bytes: {@link #OK}, or the reason to drop them. Each view's
 * {@code check} returns OK or one of the values of its own layer; {@link FrameParser} may also
 * return {@link #ETHERNET_UNSUPPORTED_TYPE}.
 */
public enum WireCheck {
    /** Every field may be trusted. */
    OK,
    /** Fewer than 14 bytes. */
    ETHERNET_TRUNCATED,
    /** An EtherType this stack does not handle (neither IPv4 nor ARP), or an 802.3 length field. */
    ETHERNET_UNSUPPORTED_TYPE,
    /** Fewer bytes than the fixed ARP header or the addresses it announces. */
    ARP_TRUNCATED,
    /** Not Ethernet/IPv4 ARP: hardware type 1, protocol 0x0800, lengths 6 and 4 (RFC 826). */
    ARP_UNSUPPORTED_FORMAT,
    /** An operation other than request (1) or reply (2). */
    ARP_UNSUPPORTED_OPERATION,
    /** Fewer than 20 bytes. */
    IPV4_TRUNCATED,
    /** The version field is not 4. */
    IPV4_BAD_VERSION,
    /** IHL below 5 words, or beyond the bytes present. */
    IPV4_BAD_HEADER_LENGTH,
    /** Total length below the header length, or beyond the bytes present. */
    IPV4_BAD_TOTAL_LENGTH,
    /** The header checksum does not verify. */
    IPV4_BAD_CHECKSUM,
    /** Fewer than 8 bytes. */
    ICMP_TRUNCATED,
    /** The ICMP checksum does not verify. */
    ICMP_BAD_CHECKSUM,
    /** Fewer than 8 bytes. */
    UDP_TRUNCATED,
    /** The UDP length field is below 8 or beyond the bytes present. */
    UDP_BAD_LENGTH,
    /** A non-zero UDP checksum does not verify. */
    UDP_BAD_CHECKSUM,
    /** Fewer than 20 bytes. */
    TCP_TRUNCATED,
    /** Data offset below 5 words, or beyond the bytes present. */
    TCP_BAD_HEADER_LENGTH,
    /** An option whose length is below 2, overruns the header, or is wrong for its kind. */
    TCP_BAD_OPTION,
    /** The TCP checksum does not verify. */
    TCP_BAD_CHECKSUM;

    /** True for {@link #OK}. */
    public boolean ok() {
        return this == OK;
    }
}
