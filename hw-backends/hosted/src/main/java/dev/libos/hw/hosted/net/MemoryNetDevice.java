package dev.libos.hw.hosted.net;

import dev.libos.api.device.NetDevice;
import dev.libos.api.time.MonotonicClock;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * A simulated Ethernet device: an end of a {@link MemoryLink} or the host side of a
 * {@link MemorySwitch} port. {@link #transmit} copies the frame (padding it to the Ethernet
 * minimum of 60 bytes) and hands the copy to the wire, which stamps it with a delivery time;
 * {@link #receive} delivers the frames whose time has come by the device's clock.
 *
 * <p>The clock is injected at construction ({@code ManualClock} in tests), so the device reads
 * it but never the host's. Transmit and receive may run on different threads.
 */
public final class MemoryNetDevice implements NetDevice {
    /** Smallest Ethernet frame without the FCS; shorter frames are padded with zeros. */
    public static final int MINIMUM_FRAME_LENGTH = 60;
    /** Ethernet header length. */
    public static final int HEADER_LENGTH = 14;

    /** Where a transmitted frame goes: a wire to the peer, or a switch. */
    interface Egress {
        /**
         * @param checksumPartial the frame's transport checksum was left to the device
         * @return false when the frame was refused for lack of room (back-pressure)
         */
        boolean forward(MemoryNetDevice from, byte[] frame, boolean checksumPartial, long nowNanos);
    }

    private final String name;
    private final long mac;
    private final int mtu;
    private final MonotonicClock clock;
    private final DeliveryQueue inbound;
    /** Shared with the other devices of the link or switch: frames go back there once delivered. */
    private final FrameRecycler recycler;
    private final DeviceCounters counters = new DeviceCounters();
    private volatile boolean linkUp = true;
    /** Set by {@link MemoryLink#offloadChecksums()}; off by default (checksums in software). */
    private volatile boolean checksumOffload;
    private Egress egress;

    MemoryNetDevice(String name, long mac, int mtu, MonotonicClock clock, int receiveCapacityFrames,
                    FrameRecycler recycler) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("name must not be empty: " + name);
        }
        if ((mac & ~0xFFFF_FFFF_FFFFL) != 0) {
            throw new IllegalArgumentException("mac must fit 48 bits: 0x" + Long.toHexString(mac));
        }
        if (mtu < 68 || mtu > 65535) {
            throw new IllegalArgumentException("mtu must be in [68, 65535]: " + mtu);
        }
        if (clock == null) {
            throw new IllegalArgumentException("clock must not be null");
        }
        if (recycler == null) {
            throw new IllegalArgumentException("recycler must not be null");
        }
        this.recycler = recycler;
        this.name = name;
        this.mac = mac;
        this.mtu = mtu;
        this.clock = clock;
        this.inbound = new DeliveryQueue(receiveCapacityFrames);
    }

    void connect(Egress newEgress) {
        this.egress = newEgress;
    }

    DeliveryQueue inbound() {
        return inbound;
    }

    DeviceCounters counters() {
        return counters;
    }

    long mac() {
        return mac;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public byte[] macAddress() {
        byte[] octets = new byte[6];
        for (int i = 0; i < 6; i++) {
            octets[i] = (byte) (mac >>> (40 - 8 * i));
        }
        return octets;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    @Override
    public boolean linkUp() {
        return linkUp;
    }

    /** Brings the link up or down; while down, transmitted frames are dropped and counted. */
    public void setLinkUp(boolean up) {
        this.linkUp = up;
    }

    @Override
    public int receive(FrameSink sink, int budget) {
        if (budget < 0) {
            throw new IllegalArgumentException("budget must be >= 0: " + budget);
        }
        long nowNanos = clock.nanoTime();
        int delivered = 0;
        while (delivered < budget) {
            DeliveryQueue.InFlight due = inbound.pollDue(nowNanos);
            if (due == null) {
                break;
            }
            byte[] frame = due.frame();
            counters.received(frame.length);
            delivered++;
            if (due.checksumPartial()) {
                // Sent with its checksum left to the device, on a link that does not corrupt:
                // to be treated as valid (NetDevice.FrameSink#onFrame(MemorySegment, boolean)).
                sink.onFrame(MemorySegment.ofArray(frame), true);
            } else {
                sink.onFrame(MemorySegment.ofArray(frame));
            }
            // The frame was valid only during the call (NetDevice#receive): its buffer is free.
            recycler.give(frame);
        }
        return delivered;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when the frame is shorter than an Ethernet header or
     *     longer than the header plus the MTU
     */
    @Override
    public boolean transmit(MemorySegment frame) {
        return send(frame, false);
    }

    /** True once {@link MemoryLink#offloadChecksums()} made this device offload checksums. */
    @Override
    public boolean transmitChecksumOffload() {
        return checksumOffload;
    }

    void setChecksumOffload(boolean on) {
        checksumOffload = on;
    }

    /**
     * {@inheritDoc} With checksum offload on, the frame goes as it is (the partial sum in its
     * checksum field) and reaches the peer marked as verified, as on Linux's loopback; otherwise
     * the checksum is completed in software first (the interface's default).
     */
    @Override
    public boolean transmit(MemorySegment frame, int checksumStart, int checksumOffset) {
        if (!checksumOffload) {
            return NetDevice.super.transmit(frame, checksumStart, checksumOffset);
        }
        if (checksumStart < 0 || checksumOffset < 0
                || (long) checksumStart + checksumOffset + 2 > frame.byteSize()) {
            throw new IllegalArgumentException("checksum field at " + checksumStart + " + " + checksumOffset
                    + " is outside the frame of " + frame.byteSize() + " bytes");
        }
        return send(frame, true);
    }

    private boolean send(MemorySegment frame, boolean checksumPartial) {
        long length = frame.byteSize();
        if (length < HEADER_LENGTH || length > HEADER_LENGTH + mtu) {
            throw new IllegalArgumentException("frame length must be in [" + HEADER_LENGTH + ", "
                    + (HEADER_LENGTH + mtu) + "]: " + length);
        }
        if (!linkUp) {
            counters.dropped(DropCause.LINK_DOWN);
            return true;
        }
        // A private copy: the sender may reuse its buffer as soon as transmit returns. The copy
        // goes into a delivered frame's buffer where one of this length is free (FrameRecycler).
        byte[] copy = recycler.take(Math.max(MINIMUM_FRAME_LENGTH, (int) length));
        MemorySegment.copy(frame, ValueLayout.JAVA_BYTE, 0, copy, 0, (int) length);
        if (length < copy.length) {
            Arrays.fill(copy, (int) length, copy.length, (byte) 0); // the padding, zero (a recycled buffer is not)
        }
        Egress out = egress;
        if (out == null) {
            throw new IllegalStateException(name + " is not connected");
        }
        if (!out.forward(this, copy, checksumPartial, clock.nanoTime())) {
            counters.dropped(DropCause.QUEUE_FULL);
            return false;
        }
        counters.sent((int) length);
        return true;
    }

    /**
     * {@inheritDoc} Called when a frame is queued for this device, even one whose delivery time
     * (link delay) is still ahead.
     */
    @Override
    public void setReceiveListener(Runnable listener) {
        inbound.setArrivalListener(listener);
    }

    /** A snapshot of this device's counters. */
    public DeviceStats stats() {
        return counters.snapshot();
    }

    /** When the next frame for this device is due, or {@link Long#MAX_VALUE} when none is in flight. */
    public long nextDeliveryNanos() {
        return inbound.nextDeliveryNanos();
    }

    /** Frames in flight towards this device. */
    public int framesInFlight() {
        return inbound.size();
    }

    @Override
    public String toString() {
        return "MemoryNetDevice[" + name + "]";
    }
}
