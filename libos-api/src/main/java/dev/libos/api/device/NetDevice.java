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

    /** Receives frames from a device. */
    @FunctionalInterface
    interface FrameSink {
        void onFrame(MemorySegment frame);
    }
}
