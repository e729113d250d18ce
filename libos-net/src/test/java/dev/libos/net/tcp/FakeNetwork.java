package dev.libos.net.tcp;

import dev.libos.net.ip.Ipv4Output;
import dev.libos.net.wire.IpProtocol;
import dev.libos.net.wire.Ipv4Address;
import dev.libos.net.wire.Ipv4Repr;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A tiny in-test network: datagrams wait in a priority queue until their delivery time; a
 * seeded model loses, duplicates, delays (hence reorders) and corrupts them.
 */
final class FakeNetwork {
    private record InFlight(long deliverAtNanos, long order, Ipv4Repr header, byte[] bytes) {
    }

    private final PriorityQueue<InFlight> queue = new PriorityQueue<>((a, b) -> a.deliverAtNanos != b.deliverAtNanos
            ? Long.compare(a.deliverAtNanos, b.deliverAtNanos) : Long.compare(a.order, b.order));
    private final Map<Integer, TcpLayer> hosts = new HashMap<>();
    private final Datagrams datagrams = new Datagrams();
    private final SplittableRandom random;
    private final double loss;
    private final double duplication;
    private final double corruption;
    private final long delayNanos;
    private final long jitterNanos;
    private long order;
    private long nowNanos;
    long sent;
    long lost;
    long duplicated;
    long corrupted;

    FakeNetwork(long seed, double loss, double duplication, double corruption, long delayNanos, long jitterNanos) {
        this.random = new SplittableRandom(seed);
        this.loss = loss;
        this.duplication = duplication;
        this.corruption = corruption;
        this.delayNanos = delayNanos;
        this.jitterNanos = jitterNanos;
    }

    void attach(Ipv4Address address, TcpLayer layer) {
        hosts.put(address.value(), layer);
    }

    void setNow(long nowNanos) {
        this.nowNanos = nowNanos;
    }

    Ipv4Output outputFor(Ipv4Address self) {
        return new Ipv4Output() {
            @Override
            public boolean send(Ipv4Address source, Ipv4Address destination, int protocol, int payloadLength,
                                PayloadWriter writer) {
                byte[] bytes = new byte[payloadLength];
                writer.write(MemorySegment.ofArray(bytes));
                enqueue(Ipv4Repr.simple(protocol, source, destination, 0, payloadLength), bytes);
                return true;
            }

            @Override
            public Ipv4Address sourceFor(Ipv4Address destination) {
                return self;
            }

            @Override
            public int maxPayload(Ipv4Address destination) {
                return 1480;
            }
        };
    }

    private void enqueue(Ipv4Repr header, byte[] bytes) {
        sent++;
        if (random.nextDouble() < loss) {
            lost++;
            return;
        }
        int copies = random.nextDouble() < duplication ? 2 : 1;
        duplicated += copies - 1;
        for (int i = 0; i < copies; i++) {
            byte[] copy = bytes.clone();
            if (random.nextDouble() < corruption && copy.length > 0) {
                corrupted++;
                copy[random.nextInt(copy.length)] ^= (byte) (1 << random.nextInt(8));
            }
            long delay = delayNanos + (jitterNanos > 0 ? random.nextLong(jitterNanos) : 0);
            queue.add(new InFlight(nowNanos + delay, order++, header, copy));
        }
    }

    /** The next delivery time, or Long.MAX_VALUE. */
    long nextDeliveryNanos() {
        InFlight head = queue.peek();
        return head == null ? Long.MAX_VALUE : head.deliverAtNanos;
    }

    /** Delivers every datagram due at {@code nowNanos}. */
    int deliver(long nowNanos) {
        int n = 0;
        while (!queue.isEmpty() && queue.peek().deliverAtNanos <= nowNanos) {
            InFlight d = queue.poll();
            TcpLayer to = hosts.get(d.header.destination().value());
            if (to != null && d.header.protocol() == IpProtocol.TCP) {
                datagrams.deliver(to, d.header, d.bytes, nowNanos);
            }
            n++;
        }
        return n;
    }

    boolean idle() {
        return queue.isEmpty();
    }
}
