package dev.libos.hw.hosted.net;

import dev.libos.api.time.MonotonicClock;

/**
 * A point-to-point Ethernet cable in memory: two {@link MemoryNetDevice} ends, each direction a
 * wire with its own {@link LinkFaults} and its own random stream derived from one seed.
 * A full receive queue at the far end refuses the transmit (back-pressure).
 */
public final class MemoryLink {
    /** Default MTU of both ends. */
    public static final int DEFAULT_MTU = 1500;
    /** Default number of frames in flight towards one end. */
    public static final int DEFAULT_QUEUE_FRAMES = 1024;

    private final MemoryNetDevice a;
    private final MemoryNetDevice b;
    private final LinkFaults faultsAToB;
    private final LinkFaults faultsBToA;

    /**
     * A link named {@code name} whose ends have the locally administered MACs
     * {@code 02:<id>:00:01} and {@code 02:<id>:00:02}.
     *
     * @param id 0 to 2^24 - 1: distinguishes the MACs of several links
     */
    public MemoryLink(String name, int id, MonotonicClock clock, LinkFaults faults, long seed) {
        this(name, 0x02_00_0000_0000L | (checkId(id) << 16) | 1, 0x02_00_0000_0000L | (checkId(id) << 16) | 2,
                DEFAULT_MTU, DEFAULT_QUEUE_FRAMES, clock, faults, faults, seed);
    }

    /**
     * A link with every parameter given.
     *
     * @param macA          MAC of end a (48 bits)
     * @param macB          MAC of end b
     * @param faultsAToB    faults on frames a sends
     * @param faultsBToA    faults on frames b sends
     * @param seed          derives both directions' random streams
     */
    public MemoryLink(String name, long macA, long macB, int mtu, int queueFrames, MonotonicClock clock,
                      LinkFaults faultsAToB, LinkFaults faultsBToA, long seed) {
        FrameRecycler recycler = new FrameRecycler(FrameRecycler.DEFAULT_CAPACITY);
        this.a = new MemoryNetDevice(name + ".a", macA, mtu, clock, queueFrames, recycler);
        this.b = new MemoryNetDevice(name + ".b", macB, mtu, clock, queueFrames, recycler);
        FaultyWire aToB = new FaultyWire(faultsAToB, seed);
        FaultyWire bToA = new FaultyWire(faultsBToA, seed ^ 0x5DEECE66DL * 31);
        a.connect((from, frame, partial, now) -> aToB.carry(frame, partial, now, from.counters(), b.inbound()));
        b.connect((from, frame, partial, now) -> bToA.carry(frame, partial, now, from.counters(), a.inbound()));
        this.faultsAToB = faultsAToB;
        this.faultsBToA = faultsBToA;
    }

    private static long checkId(int id) {
        if (id < 0 || id > 0xFF_FFFF) {
            throw new IllegalArgumentException("id must be in [0, 2^24): " + id);
        }
        return id;
    }

    /** End a. */
    public MemoryNetDevice a() {
        return a;
    }

    /** End b. */
    public MemoryNetDevice b() {
        return b;
    }

    /**
     * Has both ends offload the TCP and UDP checksums ({@link MemoryNetDevice#transmitChecksumOffload()}),
     * as Linux's loopback device does: a stack then leaves the checksum of each unfragmented
     * IPv4 TCP or UDP datagram to the device, and the frame reaches the other end marked as
     * verified, with only the partial sum in its checksum field (VIRTIO 1.2 section 5.1.6.2
     * NEEDS_CSUM; Linux's CHECKSUM_PARTIAL, which its receive path accepts as valid). Nothing is
     * lost: the frame never leaves memory, and a wire that corrupts is refused.
     *
     * @return this link
     * @throws IllegalArgumentException when a direction's faults corrupt frames (their checksums
     *     must then be real, so that the receiver drops what was damaged)
     */
    public MemoryLink offloadChecksums() {
        if (faultsAToB.corruptProbability() > 0 || faultsBToA.corruptProbability() > 0) {
            throw new IllegalArgumentException("checksum offload on a link that corrupts frames: "
                    + faultsAToB.corruptProbability() + " / " + faultsBToA.corruptProbability());
        }
        a.setChecksumOffload(true);
        b.setChecksumOffload(true);
        return this;
    }

    /** Plugs the cable in or out at both ends. */
    public void setUp(boolean up) {
        a.setLinkUp(up);
        b.setLinkUp(up);
    }

    /** When the next frame in either direction is due, or {@link Long#MAX_VALUE}. */
    public long nextDeliveryNanos() {
        return Math.min(a.nextDeliveryNanos(), b.nextDeliveryNanos());
    }
}
