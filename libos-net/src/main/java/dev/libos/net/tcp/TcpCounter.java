package dev.libos.net.tcp;

/** The events a {@link TcpCounters} set counts, per connection and per layer. */
public enum TcpCounter {
    /** Segments handed to the connection or layer. */
    SEGMENTS_RECEIVED,
    /** Segments sent, retransmissions included. */
    SEGMENTS_SENT,
    /** In-order data bytes delivered to the receive buffer. */
    BYTES_RECEIVED,
    /** New data bytes sent (retransmissions excluded). */
    BYTES_SENT,
    /** Data segments sent again (any cause). */
    RETRANSMITTED_SEGMENTS,
    /** Retransmission timer expiries. */
    RETRANSMIT_TIMEOUTS,
    /** Fast retransmits (entries into fast recovery, RFC 5681/6582). */
    FAST_RETRANSMITS,
    /** Duplicate ACKs received. */
    DUPLICATE_ACKS,
    /** Segments failing the acceptability test (RFC 9293 section 3.10.7.4). */
    UNACCEPTABLE_SEGMENTS,
    /** Segments dropped by PAWS (RFC 7323 section 5). */
    PAWS_DROPS,
    /** Challenge ACKs sent (RFC 5961). */
    CHALLENGE_ACKS,
    /** Challenge ACKs suppressed by the rate limit (RFC 5961 section 7). */
    CHALLENGE_ACKS_SUPPRESSED,
    /** Out-of-order segments queued for reassembly. */
    OUT_OF_ORDER_SEGMENTS,
    /** Out-of-order segments dropped because the reassembly limit was reached. */
    OUT_OF_ORDER_DROPS,
    /** Data received beyond the window and trimmed. */
    WINDOW_TRIMMED_SEGMENTS,
    /** Zero-window probes sent. */
    ZERO_WINDOW_PROBES,
    /** Keepalive probes sent. */
    KEEPALIVE_PROBES,
    /** Delayed ACKs sent by the timer. */
    DELAYED_ACKS,
    /** RST segments sent. */
    RESETS_SENT,
    /** RST segments accepted (the connection was reset). */
    RESETS_RECEIVED,
    /** Layer: segments failing validation (truncated, bad checksum, bad options). */
    MALFORMED_SEGMENTS,
    /** Layer: segments for no connection and no listener (answered by RST unless they were RST). */
    NO_CONNECTION_SEGMENTS,
    /** Layer: SYNs that found their listener's SYN backlog full (each answered with a SYN cookie). */
    SYN_BACKLOG_OVERFLOWS,
    /** Layer: SYN-ACKs sent with a SYN cookie (RFC 4987) because a SYN backlog was full. */
    SYN_COOKIES_SENT,
    /** Layer: handshakes completed by an ACK carrying a valid SYN cookie. */
    SYN_COOKIES_ACCEPTED,
    /** Layer: ACKs to a listener with a forged or stale SYN cookie (dropped). */
    SYN_COOKIES_REJECTED,
    /** Layer: TIME-WAIT four-tuples forgotten early because the TIME-WAIT table was full. */
    TIME_WAIT_OVERFLOWS,
    /** Layer: TIME-WAIT four-tuples reused early (RFC 6191 SYN, or an active open short of ports). */
    TIME_WAIT_REUSED,
    /** Layer: connections refused because the accept queue was full. */
    ACCEPT_QUEUE_OVERFLOWS,
    /** Layer: connections refused by the connection or memory limit. */
    CONNECTION_LIMIT_DROPS,
    /** Layer: datagrams the IP layer refused to send. */
    OUTPUT_DROPS,
    /** Layer: connections opened (active or passive) that reached ESTABLISHED. */
    CONNECTIONS_ESTABLISHED,
    /** Layer: connections removed from the table. */
    CONNECTIONS_CLOSED
}
