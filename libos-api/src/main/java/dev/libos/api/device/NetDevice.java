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
     * Asks the device to call {@code listener} (from any thread, quickly, without blocking) when
     * a frame arrives, so that the CPU polling the device can be woken instead of sleeping out
     * its idle park. Devices that cannot tell ignore it: their pollers then run at least every
     * {@code libos.idle.maxParkMicros}. Null removes the listener.
     */
    default void setReceiveListener(Runnable listener) {
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
