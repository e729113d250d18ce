package dev.libos.bench.netstack;

import dev.libos.api.device.NetDevice;
import java.lang.foreign.MemorySegment;

/**
 * One end of a wire between two stacks that allocates nothing per frame, so that a
 * {@code -prof gc} figure counts the stack's allocations only: a transmitted frame is copied
 * into the peer's next free slot (as a NIC copies into its ring), a received one is handed over
 * as a view of its slot. The view of a slot is kept for the next frame of the same length there.
 */
final class PairedDevice implements NetDevice {
    private static final int SLOTS = 64;

    private final byte[] mac;
    private final int mtu;
    private final MemorySegment[] slots = new MemorySegment[SLOTS];
    private final MemorySegment[] views = new MemorySegment[SLOTS];
    private final int[] lengths = new int[SLOTS];
    private PairedDevice peer;
    private int head;
    private int count;

    PairedDevice(long mac, int mtu) {
        this.mac = new byte[6];
        for (int i = 0; i < 6; i++) {
            this.mac[i] = (byte) (mac >>> (40 - 8 * i));
        }
        this.mtu = mtu;
        for (int i = 0; i < SLOTS; i++) {
            slots[i] = MemorySegment.ofArray(new byte[14 + mtu]);
            views[i] = slots[i].asSlice(0, 0);
        }
    }

    /** Connects two ends. */
    static void connect(PairedDevice a, PairedDevice b) {
        a.peer = b;
        b.peer = a;
    }

    @Override
    public String name() {
        return "paired";
    }

    @Override
    public byte[] macAddress() {
        return mac.clone();
    }

    @Override
    public int mtu() {
        return mtu;
    }

    @Override
    public boolean linkUp() {
        return true;
    }

    @Override
    public int receive(FrameSink sink, int budget) {
        int delivered = 0;
        while (delivered < budget && count > 0) {
            int slot = head;
            head = (head + 1) % SLOTS;
            count--;
            if (views[slot].byteSize() != lengths[slot]) {
                views[slot] = slots[slot].asSlice(0, lengths[slot]);
            }
            sink.onFrame(views[slot]);
            delivered++;
        }
        return delivered;
    }

    @Override
    public boolean transmit(MemorySegment frame) {
        return peer.accept(frame);
    }

    private boolean accept(MemorySegment frame) {
        if (count == SLOTS) {
            return false;
        }
        int slot = (head + count) % SLOTS;
        int length = (int) frame.byteSize();
        MemorySegment.copy(frame, 0, slots[slot], 0, length);
        lengths[slot] = length;
        count++;
        return true;
    }
}
