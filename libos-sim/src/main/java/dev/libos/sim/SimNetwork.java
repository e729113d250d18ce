package dev.libos.sim;

import dev.libos.api.device.NetDevice;
import dev.libos.hw.hosted.net.LinkFaults;
import dev.libos.hw.hosted.net.MemorySwitch;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * The hosts' LAN: one {@link MemorySwitch} (its wires apply the seeded {@link LinkFaults}: loss,
 * duplication, reordering, delay and jitter) and, between each host's stack and its port, a
 * {@link Port} that drops what a partition, an unplugged cable or a crashed host would not
 * let through. Which frames pass is decided from the ports' MACs ({@code 02:00:<id>:01:<port>},
 * as the switch numbers them), so a broadcast to the other side of a partition is dropped at
 * each receiver.
 */
final class SimNetwork {
    static final int SWITCH_ID = 0x51;

    private final MemorySwitch lan;
    private final Port[] ports;
    /** Partition side of each host: hosts talk only within a side. */
    private final int[] side;
    private final boolean[] cablePlugged;
    private final boolean[] powered;
    private long framesDropped;

    SimNetwork(int hosts, VirtualClock clock, LinkFaults faults, long seed) {
        this.lan = new MemorySwitch("sim", SWITCH_ID, Math.max(2, hosts), clock, faults, seed);
        this.ports = new Port[hosts];
        this.side = new int[hosts];
        this.cablePlugged = new boolean[hosts];
        this.powered = new boolean[hosts];
        Arrays.fill(cablePlugged, true);
        for (int i = 0; i < hosts; i++) {
            ports[i] = new Port(i, lan.port(i));
        }
    }

    NetDevice port(int host) {
        return ports[host];
    }

    void setPowered(int host, boolean on) {
        powered[host] = on;
    }

    void setCablePlugged(int host, boolean plugged) {
        cablePlugged[host] = plugged;
    }

    /** Hosts whose {@code sides} entry differs cannot talk (one entry per host). */
    void partition(int[] sides) {
        if (sides.length != side.length) {
            throw new IllegalArgumentException("one side per host: " + sides.length + " != " + side.length);
        }
        System.arraycopy(sides, 0, side, 0, side.length);
    }

    void heal() {
        Arrays.fill(side, 0);
    }

    boolean partitioned() {
        return Arrays.stream(side).distinct().count() > 1;
    }

    long nextDeliveryNanos() {
        return lan.nextDeliveryNanos();
    }

    long framesDropped() {
        return framesDropped;
    }

    private boolean attached(int host) {
        return powered[host] && cablePlugged[host];
    }

    private boolean passes(int from, int to) {
        return attached(from) && attached(to) && side[from] == side[to];
    }

    /** The port number of a switch MAC at {@code offset} in {@code frame}, or -1 for any other MAC. */
    private int portOf(MemorySegment frame, long offset) {
        if (frame.byteSize() < offset + 6) {
            return -1;
        }
        int b0 = frame.get(ValueLayout.JAVA_BYTE, offset) & 0xFF;
        int b2 = frame.get(ValueLayout.JAVA_BYTE, offset + 2) & 0xFF;
        int b3 = frame.get(ValueLayout.JAVA_BYTE, offset + 3) & 0xFF;
        int b4 = frame.get(ValueLayout.JAVA_BYTE, offset + 4) & 0xFF;
        int b5 = frame.get(ValueLayout.JAVA_BYTE, offset + 5) & 0xFF;
        if (b0 != 0x02 || ((b2 << 8) | b3) != SWITCH_ID || b4 != 0x01 || b5 >= ports.length) {
            return -1;
        }
        return b5;
    }

    /** A host's side of its switch port. */
    private final class Port implements NetDevice {
        private final int host;
        private final NetDevice inner;

        Port(int host, NetDevice inner) {
            this.host = host;
            this.inner = inner;
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public byte[] macAddress() {
            return inner.macAddress();
        }

        @Override
        public int mtu() {
            return inner.mtu();
        }

        @Override
        public boolean linkUp() {
            return inner.linkUp();
        }

        @Override
        public int receive(FrameSink sink, int budget) {
            return inner.receive(frame -> {
                int from = portOf(frame, 6);
                if (from < 0 || passes(from, host)) {
                    sink.onFrame(frame);
                } else {
                    framesDropped++;
                }
            }, budget);
        }

        @Override
        public boolean transmit(MemorySegment frame) {
            int to = portOf(frame, 0);
            if (!attached(host) || (to >= 0 && !passes(host, to))) {
                framesDropped++;
                return true; // lost on the wire, as far as the sender can tell
            }
            return inner.transmit(frame);
        }
    }
}
