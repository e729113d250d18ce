package dev.libos.net.ip;

/** What the IPv4, ARP and ICMP layers of a stack count. */
public enum IpCounter {
    /** Frames addressed to another MAC (a switch flooding unknown unicast), or to a multicast group. */
    ETHERNET_NOT_FOR_US,
    /** Valid IPv4 datagrams (and fragments) received for this host. */
    IPV4_RECEIVED,
    /** Datagrams handed to a protocol handler, ICMP included. */
    IPV4_DELIVERED,
    /** Datagrams for another address: this stack does not forward. */
    IPV4_NOT_FOR_US,
    /** Datagrams from a broadcast, multicast or otherwise impossible source (RFC 1122 3.2.1.3). */
    IPV4_BAD_SOURCE,
    /** Datagrams for a protocol without a handler (answered with protocol unreachable). */
    IPV4_NO_PROTOCOL,
    /** Datagrams sent (a fragmented one counts once). */
    IPV4_SENT,
    /** Fragments sent. */
    IPV4_FRAGMENTS_SENT,
    /** Sends without a route. */
    IPV4_NO_ROUTE,
    /** Sends too large for the interface with DF set, or beyond 65535 bytes. */
    IPV4_TOO_BIG,
    /** Frames the device refused (transmit queue full). */
    IPV4_TX_REFUSED,
    /** ARP requests received. */
    ARP_REQUESTS_RECEIVED,
    /** ARP replies received. */
    ARP_REPLIES_RECEIVED,
    /** ARP requests sent. */
    ARP_REQUESTS_SENT,
    /** ARP replies sent. */
    ARP_REPLIES_SENT,
    /** Gratuitous ARP announcements seen (sender address = target address). */
    ARP_GRATUITOUS,
    /** ARP packets from another MAC claiming this interface's address. */
    ARP_ADDRESS_CONFLICT,
    /** ARP packets ignored: our own, a group sender MAC, or the interface unconfigured. */
    ARP_IGNORED,
    /** ARP packets giving a resolved entry another MAC within {@code ArpSettings.lockNanos} of its last change: refused. */
    ARP_CHANGE_REFUSED,
    /** Packets dropped because an unresolved address already had its queue full. */
    ARP_QUEUE_OVERFLOW,
    /** Packets dropped because resolution gave up (no reply after the retries). */
    ARP_UNRESOLVED,
    /** New entries refused because the cache was full. */
    ARP_CACHE_FULL,
    /** Resolved entries that expired. */
    ARP_EXPIRED,
    /** Fragments received. */
    REASSEMBLY_FRAGMENTS,
    /** Datagrams reassembled. */
    REASSEMBLY_OK,
    /** Partial datagrams dropped at their timeout. */
    REASSEMBLY_TIMEOUT,
    /** Datagrams dropped because fragments overlapped (RFC 5722), and fragments of them that came after. */
    REASSEMBLY_OVERLAP,
    /** Exact duplicate fragments ignored. */
    REASSEMBLY_DUPLICATE,
    /** Fragments dropped for lack of reassembly memory or slots. */
    REASSEMBLY_NO_MEMORY,
    /** The oldest datagram in progress was dropped to make room for a new one (table full). */
    REASSEMBLY_EVICTED,
    /** Datagrams dropped for exceeding the per-datagram limit or 65535 bytes. */
    REASSEMBLY_TOO_BIG,
    /** Fragments inconsistent with the datagram (length not a multiple of 8, beyond the end, two ends). */
    REASSEMBLY_INVALID,
    /** Reassembled datagrams whose transport header or checksum failed the parser's checks (dropped). */
    REASSEMBLED_MALFORMED,
    /** ICMP messages received. */
    ICMP_RECEIVED,
    /** Reassembled ICMP messages that failed validation. */
    ICMP_INVALID,
    /** Echo requests received. */
    ICMP_ECHO_REQUESTS,
    /** Echo replies sent. */
    ICMP_ECHO_REPLIES_SENT,
    /** Echo requests to a broadcast address, not answered. */
    ICMP_ECHO_BROADCAST_IGNORED,
    /** Echo replies received. */
    ICMP_ECHO_REPLIES_RECEIVED,
    /** Echo requests sent. */
    ICMP_ECHO_REQUESTS_SENT,
    /** ICMP error messages received. */
    ICMP_ERRORS_RECEIVED,
    /** ICMP error messages sent. */
    ICMP_ERRORS_SENT,
    /** ICMP errors not sent because of the rate limit. */
    ICMP_ERRORS_RATE_LIMITED,
    /** ICMP errors not sent by rule: about an ICMP error, a broadcast, a later fragment (RFC 1122 3.2.2). */
    ICMP_ERRORS_SUPPRESSED,
    /** Other ICMP messages received and ignored. */
    ICMP_OTHER
}
