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
    private final ArrayDeque<byte[]> inbound = new ArrayDeque<>();
    final List<byte[]> transmitted = new ArrayList<>();
    boolean refuseTransmit;

    public TestDevice(MacAddress mac) {
        this.mac = mac;
    }

    public void inject(byte[] frame) {
        inbound.add(frame);
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
            sink.onFrame(MemorySegment.ofArray(inbound.poll()));
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
