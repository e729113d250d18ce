package dev.libos.hw.hosted.net;

/** Why a simulated device lost or refused a frame. */
public enum DropCause {
    /** The fault injector dropped it ({@link LinkFaults#lossProbability()}). */
    INJECTED_LOSS,
    /** The receiver's queue was full: a link refuses the transmit, a switch drops the copy. */
    QUEUE_FULL,
    /** The link was down. */
    LINK_DOWN,
    /** A switch dropped a frame addressed to the port it came in on. */
    SWITCH_FILTERED
}
