package dev.libos.net.tcp;

/** The connection states of RFC 9293 section 3.3.2. */
public enum TcpState {
    /** No connection (the fictional state; also the end of every connection). */
    CLOSED,
    /** Waiting for a SYN (only a {@link TcpListener} is in this state). */
    LISTEN,
    /** SYN sent, waiting for a matching SYN. */
    SYN_SENT,
    /** SYN received and SYN sent, waiting for the acknowledgement of ours. */
    SYN_RECEIVED,
    /** Open: data flows both ways. */
    ESTABLISHED,
    /** Our FIN sent (or queued), not yet acknowledged. */
    FIN_WAIT_1,
    /** Our FIN acknowledged, waiting for the peer's. */
    FIN_WAIT_2,
    /** The peer's FIN received; we may still send. */
    CLOSE_WAIT,
    /** Both FINs crossed (simultaneous close); waiting for the acknowledgement of ours. */
    CLOSING,
    /** The peer closed first, our FIN sent, waiting for its acknowledgement. */
    LAST_ACK,
    /** Both sides closed; waiting 2*MSL for stray segments to die. */
    TIME_WAIT;

    /** True in the states after the handshake where sequence numbers are synchronized (RFC 9293 section 3.5.2). */
    public boolean synchronized_() {
        return ordinal() >= ESTABLISHED.ordinal() || this == SYN_RECEIVED;
    }

    /** True when the application may still read data that the peer sends. */
    public boolean canReceiveData() {
        return this == ESTABLISHED || this == FIN_WAIT_1 || this == FIN_WAIT_2;
    }
}
