package dev.libos.net.wire;

/**
 * One SACK block (RFC 2018 section 3): the received bytes from {@code leftEdge} up to but not
 * including {@code rightEdge}, both sequence numbers (32-bit, modular).
 *
 * @param leftEdge  first sequence number of the block
 * @param rightEdge sequence number just past the block
 */
public record SackBlock(int leftEdge, int rightEdge) {
}
