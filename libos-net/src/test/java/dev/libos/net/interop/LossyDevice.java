package dev.libos.net.interop;

import dev.libos.api.device.NetDevice;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link NetDevice} that loses frames in both directions with a fixed probability, drawn from
 * two seeded generators (one per direction), so a run is described by its seed. A lost transmit
 * still reports success: the frame went out and vanished on the wire.
 */
final class LossyDevice implements NetDevice {
    private final NetDevice inner;
    private final double lossProbability;
    private final SplittableRandom receiveRandom;
    /** Guarded by itself: transmitters may be several threads. */
    private final SplittableRandom transmitRandom;
    private final AtomicLong receiveDropped = new AtomicLong();
    private final AtomicLong transmitDropped = new AtomicLong();

    LossyDevice(NetDevice inner, double lossProbability, long seed) {
        if (!(lossProbability >= 0 && lossProbability < 1)) {
            throw new IllegalArgumentException("lossProbability must be in [0, 1): " + lossProbability);
        }
        this.inner = inner;
        this.lossProbability = lossProbability;
        SplittableRandom root = new SplittableRandom(seed);
        this.receiveRandom = root.split();
        this.transmitRandom = root.split();
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
            if (receiveRandom.nextDouble() < lossProbability) {
                receiveDropped.incrementAndGet();
            } else {
                sink.onFrame(frame);
            }
        }, budget);
    }

    @Override
    public boolean transmit(MemorySegment frame) {
        boolean lose;
        synchronized (transmitRandom) {
            lose = transmitRandom.nextDouble() < lossProbability;
        }
        if (lose) {
            transmitDropped.incrementAndGet();
            return true;
        }
        return inner.transmit(frame);
    }

    long receiveDropped() {
        return receiveDropped.get();
    }

    long transmitDropped() {
        return transmitDropped.get();
    }
}
