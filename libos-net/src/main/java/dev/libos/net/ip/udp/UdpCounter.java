package dev.libos.net.ip.udp;

/** What the UDP layer counts. */
public enum UdpCounter {
    /** Datagrams handed up by IP. */
    RECEIVED,
    /** Datagrams queued on a socket. */
    DELIVERED,
    /** Datagrams failing validation: truncated, bad length, bad checksum (RFC 768). */
    BAD_DATAGRAM,
    /** Datagrams for a port nobody is bound to (answered with port unreachable, rate-limited). */
    NO_PORT,
    /** Datagrams dropped because the socket's receive queue was full. */
    QUEUE_OVERFLOW,
    /** Datagrams sent. */
    SENT,
    /** Sends the IP layer refused (no route, ARP queue full, device full). */
    SEND_FAILED
}
