package dev.libos.hw.hosted.net;

import dev.libos.api.time.MonotonicClock;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * A learning Ethernet switch in memory (IEEE 802.1D transparent bridging, simplified): N ports,
 * each with a host-side {@link MemoryNetDevice} that a stack attaches to. The switch learns the
 * port of every source MAC, forwards a unicast frame to the learned port, floods broadcast,
 * multicast and unknown destinations to every other port, and filters a frame whose destination
 * sits on the port it came in on. Learned entries age out after {@code agingNanos}; the table
 * holds at most {@code tableCapacity} entries (beyond that the switch floods, as real ones do).
 *
 * <p>Each port's outgoing wire has its own {@link LinkFaults} stream. A full port queue drops
 * the copy (a switch does not push back) and counts {@link DropCause#QUEUE_FULL} on the sender.
 * Forwarding runs on the sender's thread under the switch's monitor.
 */
public final class MemorySwitch {
    /** Default MAC table aging, 300 s as in IEEE 802.1D. */
    public static final long DEFAULT_AGING_NANOS = 300_000_000_000L;

    private record Learned(int port, long lastSeenNanos) {
    }

    private final MemoryNetDevice[] ports;
    private final FaultyWire[] wires;
    /** By MAC address (48 bits in a long): looked up per frame, so keyed without boxing (Agrona). */
    private final Long2ObjectHashMap<Learned> table = new Long2ObjectHashMap<>();
    private final long agingNanos;
    private final int tableCapacity;
    private final AtomicLong framesForwarded = new AtomicLong();
    private final AtomicLong framesFlooded = new AtomicLong();
    private final AtomicLong learnRefused = new AtomicLong();

    /** A switch with {@code portCount} ports; the host on port i has MAC {@code 02:<id>:01:<i>}. */
    public MemorySwitch(String name, int id, int portCount, MonotonicClock clock, LinkFaults faults, long seed) {
        this(name, id, portCount, MemoryLink.DEFAULT_MTU, MemoryLink.DEFAULT_QUEUE_FRAMES, DEFAULT_AGING_NANOS,
                1024, clock, faults, seed);
    }

    /** A switch with every parameter given. */
    public MemorySwitch(String name, int id, int portCount, int mtu, int queueFrames, long agingNanos,
                        int tableCapacity, MonotonicClock clock, LinkFaults faults, long seed) {
        if (id < 0 || id > 0xFF_FFFF) {
            throw new IllegalArgumentException("id must be in [0, 2^24): " + id);
        }
        if (portCount < 2 || portCount > 255) {
            throw new IllegalArgumentException("portCount must be in [2, 255]: " + portCount);
        }
        if (agingNanos <= 0) {
            throw new IllegalArgumentException("agingNanos must be > 0: " + agingNanos);
        }
        if (tableCapacity < 1) {
            throw new IllegalArgumentException("tableCapacity must be >= 1: " + tableCapacity);
        }
        this.agingNanos = agingNanos;
        this.tableCapacity = tableCapacity;
        this.ports = new MemoryNetDevice[portCount];
        this.wires = new FaultyWire[portCount];
        FrameRecycler recycler = new FrameRecycler(FrameRecycler.DEFAULT_CAPACITY);
        for (int i = 0; i < portCount; i++) {
            long mac = 0x02_00_0000_0000L | ((long) id << 16) | 0x100 | i;
            ports[i] = new MemoryNetDevice(name + ".p" + i, mac, mtu, clock, queueFrames, recycler);
            wires[i] = new FaultyWire(faults, seed + 0x9E3779B97F4A7C15L * (i + 1));
            int ingress = i;
            ports[i].connect((from, frame, partial, now) -> forward(ingress, from, frame, partial, now));
        }
    }

    /** The host-side device of port {@code index}. */
    public MemoryNetDevice port(int index) {
        if (index < 0 || index >= ports.length) {
            throw new IllegalArgumentException("port must be in [0, " + ports.length + "): " + index);
        }
        return ports[index];
    }

    /** Number of ports. */
    public int portCount() {
        return ports.length;
    }

    private synchronized boolean forward(int ingress, MemoryNetDevice from, byte[] frame, boolean checksumPartial,
                                         long nowNanos) {
        long destination = mac(frame, 0);
        long source = mac(frame, 6);
        learn(source, ingress, nowNanos);
        boolean group = (destination & (1L << 40)) != 0;
        Learned where = group ? null : lookup(destination, nowNanos);
        if (where == null) {
            framesFlooded.incrementAndGet();
            boolean first = true;
            for (int port = 0; port < ports.length; port++) {
                if (port != ingress) {
                    deliver(port, first ? frame : frame.clone(), checksumPartial, from, nowNanos);
                    first = false;
                }
            }
        } else if (where.port == ingress) {
            from.counters().dropped(DropCause.SWITCH_FILTERED);
        } else {
            framesForwarded.incrementAndGet();
            deliver(where.port, frame, checksumPartial, from, nowNanos);
        }
        return true;
    }

    private void deliver(int port, byte[] frame, boolean checksumPartial, MemoryNetDevice from, long nowNanos) {
        if (!wires[port].carry(frame, checksumPartial, nowNanos, from.counters(), ports[port].inbound())) {
            from.counters().dropped(DropCause.QUEUE_FULL);
        }
    }

    private void learn(long source, int port, long nowNanos) {
        if ((source & (1L << 40)) != 0) {
            return; // a group address is never a source (IEEE 802.1D 7.8): do not learn it
        }
        if (!table.containsKey(source) && table.size() >= tableCapacity) {
            evictAged(nowNanos);
            if (table.size() >= tableCapacity) {
                learnRefused.incrementAndGet();
                return;
            }
        }
        table.put(source, new Learned(port, nowNanos));
    }

    private Learned lookup(long destination, long nowNanos) {
        Learned entry = table.get(destination);
        if (entry != null && nowNanos - entry.lastSeenNanos >= agingNanos) {
            table.remove(destination);
            return null;
        }
        return entry;
    }

    private void evictAged(long nowNanos) {
        for (Iterator<Learned> it = table.values().iterator(); it.hasNext(); ) {
            if (nowNanos - it.next().lastSeenNanos >= agingNanos) {
                it.remove();
            }
        }
    }

    /** The port learned for {@code mac} at {@code nowNanos}, or -1. */
    public synchronized int portOf(long mac, long nowNanos) {
        Learned entry = lookup(mac, nowNanos);
        return entry == null ? -1 : entry.port;
    }

    /** Unicast frames sent to one learned port. */
    public long framesForwarded() {
        return framesForwarded.get();
    }

    /** Frames flooded (broadcast, multicast, unknown or aged destination). */
    public long framesFlooded() {
        return framesFlooded.get();
    }

    /** Source MACs not learned because the table was full. */
    public long learnRefused() {
        return learnRefused.get();
    }

    /** When the next frame towards any port is due, or {@link Long#MAX_VALUE}. */
    public long nextDeliveryNanos() {
        long next = Long.MAX_VALUE;
        for (MemoryNetDevice port : ports) {
            next = Math.min(next, port.nextDeliveryNanos());
        }
        return next;
    }

    private static long mac(byte[] frame, int offset) {
        long v = 0;
        for (int i = 0; i < 6; i++) {
            v = (v << 8) | (frame[offset + i] & 0xFF);
        }
        return v;
    }
}
