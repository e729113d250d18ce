package dev.libos.net.ip;

import dev.libos.api.device.NetDevice;
import dev.libos.net.wire.MacAddress;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** A scripted device: the test queues frames to receive and reads what was transmitted. */
public final class TestDevice implements NetDevice {
    private final MacAddress mac;
    private record Inbound(byte[] frame, boolean checksumVerified) {
    }

    private final ArrayDeque<Inbound> inbound = new ArrayDeque<>();
    final List<byte[]> transmitted = new ArrayList<>();
    boolean refuseTransmit;

    public TestDevice(MacAddress mac) {
        this.mac = mac;
    }

    public void inject(byte[] frame) {
        inbound.add(new Inbound(frame, false));
    }

    /** Queues a frame the device says has a valid transport checksum (receive offload). */
    public void injectChecksumVerified(byte[] frame) {
        inbound.add(new Inbound(frame, true));
    }

    public List<byte[]> takeTransmitted() {
        List<byte[]> out = new ArrayList<>(transmitted);
        transmitted.clear();
        return out;
    }

    @Override
    public String name() {
        return "test" + mac;
    }

    @Override
    public byte[] macAddress() {
        return mac.toBytes();
    }

    @Override
    public int mtu() {
        return 1500;
    }

    @Override
    public boolean linkUp() {
        return true;
    }

    @Override
    public int receive(FrameSink sink, int budget) {
        int n = 0;
        while (n < budget && !inbound.isEmpty()) {
            Inbound next = inbound.poll();
            if (next.checksumVerified()) {
                sink.onFrame(MemorySegment.ofArray(next.frame()), true);
            } else {
                sink.onFrame(MemorySegment.ofArray(next.frame()));
            }
            n++;
        }
        return n;
    }

    @Override
    public boolean transmit(MemorySegment frame) {
        if (refuseTransmit) {
            return false;
        }
        transmitted.add(frame.toArray(ValueLayout.JAVA_BYTE));
        return true;
    }
}
