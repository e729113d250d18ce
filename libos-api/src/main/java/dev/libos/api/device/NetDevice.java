package dev.libos.api.device;

import java.lang.foreign.MemorySegment;

/**
 * An Ethernet device, driven by polling (device SPI skeleton: the network work fills in
 * offloads and multi-queue support).
 */
public interface NetDevice {
    String name();

    /** The device's MAC address, 6 bytes. */
    byte[] macAddress();

    /** Largest payload of one frame, excluding the 14-byte Ethernet header. */
    int mtu();

    boolean linkUp();

    /**
     * Hands up to {@code budget} received frames to {@code sink}, each valid only during the call.
     *
     * @return frames delivered
     */
    int receive(FrameSink sink, int budget);

    /**
     * Queues one frame for transmission; the device copies it or takes it before returning.
     *
     * @return false when the transmit queue is full (the caller retries later), true when queued
     */
    boolean transmit(MemorySegment frame);

    /**
     * Whether {@link #transmit(MemorySegment, int, int)} leaves the TCP/UDP checksum to the
     * hardware (transmit checksum offload), so that a stack gains by not computing it. False by
     * default: the default {@code transmit(frame, checksumStart, checksumOffset)} computes it in
     * software, which is always correct but saves nothing.
     */
    default boolean transmitChecksumOffload() {
        return false;
    }

    /**
     * Queues one frame whose transport checksum is to be completed on the way out (partial
     * checksum, as in VIRTIO 1.2 section 5.1.6.2 NEEDS_CSUM and Linux CHECKSUM_PARTIAL): the 16-bit
     * big-endian field at {@code checksumStart + checksumOffset} holds the folded ones' complement
     * sum of the pseudo-header, not complemented; the device replaces it with the Internet
     * checksum (RFC 1071) of the bytes from {@code checksumStart} to the end of the frame.
     *
     * <p>The default completes the checksum in software, transmits with {@link #transmit(MemorySegment)}
     * and puts the partial sum back, so the caller's frame is unchanged whatever the outcome and
     * every device is correct; a device with {@link #transmitChecksumOffload()} hands the work to
     * the hardware instead.
     *
     * @param checksumStart offset in the frame where the checksummed bytes start (the TCP or UDP header)
     * @param checksumOffset offset of the checksum field from {@code checksumStart} (16 for TCP, 6 for UDP)
     * @return as {@link #transmit(MemorySegment)}
     * @throws IllegalArgumentException when the field does not lie inside the frame
     */
    default boolean transmit(MemorySegment frame, int checksumStart, int checksumOffset) {
        PartialChecksum.checkBounds(frame, checksumStart, checksumOffset);
        long field = (long) checksumStart + checksumOffset;
        short partial = frame.get(PartialChecksum.U16_BIG_ENDIAN, field);
        frame.set(PartialChecksum.U16_BIG_ENDIAN, field, PartialChecksum.complete(frame, checksumStart));
        try {
            return transmit(frame);
        } finally {
            frame.set(PartialChecksum.U16_BIG_ENDIAN, field, partial);
        }
    }

    /**
     * Asks the device to call {@code listener} (from any thread, quickly, without blocking) when
     * a frame arrives, so that the CPU polling the device can be woken instead of sleeping out
     * its idle park. Devices that cannot tell ignore it: their pollers then run at least every
     * {@code libos.idle.maxParkMicros}. Null removes the listener.
     */
    default void setReceiveListener(Runnable listener) {
    }

    /**
     * Whether the device calls its receive listener for every frame that arrives once
     * {@link #armReceiveWakeup()} armed it (an interrupt, a host thread watching a socket), so
     * that its poller may sleep until then instead of polling periodically. False by default.
     */
    default boolean receiveWakeupSupported() {
        return false;
    }

    /**
     * Before the CPU polling the device sleeps: asks the device to call the receive listener
     * when the next frame arrives (the NAPI pattern: while frames keep coming the device is
     * polled with its notifications suppressed; only an idle poller re-arms them). The next
     * {@link #receive} may suppress them again.
     *
     * @return true when frames are already waiting (they arrived while notifications were off,
     *         and no notification will announce them): the caller must poll again, not sleep.
     *         Devices without {@link #receiveWakeupSupported()} return false.
     */
    default boolean armReceiveWakeup() {
        return false;
    }

    /**
     * Receives frames from a device. A device that validates TCP and UDP checksums (hardware
     * receive checksum offload) says so per frame through {@link #onFrame(MemorySegment, boolean)};
     * every other frame, and every frame of a device that cannot tell, comes through
     * {@link #onFrame(MemorySegment)} and is verified in software.
     */
    @FunctionalInterface
    interface FrameSink {
        /** A frame whose checksums nobody has checked. */
        void onFrame(MemorySegment frame);

        /**
         * A frame, with whether the device vouches for its transport checksum.
         *
         * @param transportChecksumVerified true when the device has validated the TCP or UDP
         *     checksum of this (unfragmented IPv4) frame, or the frame came from a local sender
         *     that left the checksum to the hardware and is to be treated as valid (virtio's
         *     NEEDS_CSUM on receive; the checksum field then holds only a partial sum, so such a
         *     frame must not be forwarded as it is). It says nothing about the IPv4 header
         *     checksum or ICMP. The default ignores it: software verification is always correct.
         */
        default void onFrame(MemorySegment frame, boolean transportChecksumVerified) {
            onFrame(frame);
        }
    }
}
