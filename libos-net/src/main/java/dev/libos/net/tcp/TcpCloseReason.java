package dev.libos.net.tcp;

/** Why a connection reached CLOSED. */
public enum TcpCloseReason {
    /** Still open (or never opened). */
    NONE,
    /** Both sides closed in order (FIN exchanged and acknowledged). */
    NORMAL,
    /** The peer sent an acceptable RST in a synchronized state. */
    RESET,
    /** The peer answered our SYN with RST. */
    REFUSED,
    /** Retransmissions, SYN retries or keepalive probes ran out. */
    TIMEOUT,
    /** The application (or the stack, for instance a full accept queue) aborted it with RST. */
    ABORTED
}
