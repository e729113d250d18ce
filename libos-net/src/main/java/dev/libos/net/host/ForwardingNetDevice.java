package dev.libos.net.host;

import dev.libos.api.device.NetDevice;
import java.lang.foreign.MemorySegment;

/**
 * A {@link NetDevice} that passes every call to another device; a wrapper overrides only what it
 * changes (e.g. the MTU it reports, or a look at each received frame).
 */
public abstract class ForwardingNetDevice implements NetDevice {
    private final NetDevice device;

    protected ForwardingNetDevice(NetDevice device) {
        this.device = device;
    }

    /** The device every call goes to. */
    protected final NetDevice device() {
        return device;
    }

    @Override
    public String name() {
        return device.name();
    }

    @Override
    public byte[] macAddress() {
        return device.macAddress();
    }

    @Override
    public int mtu() {
        return device.mtu();
    }

    @Override
    public boolean linkUp() {
        return device.linkUp();
    }

    @Override
    public int receive(FrameSink sink, int budget) {
        return device.receive(sink, budget);
    }

    @Override
    public boolean transmit(MemorySegment frame) {
        return device.transmit(frame);
    }

    @Override
    public boolean transmitChecksumOffload() {
        return device.transmitChecksumOffload();
    }

    @Override
    public boolean transmit(MemorySegment frame, int checksumStart, int checksumOffset) {
        return device.transmit(frame, checksumStart, checksumOffset);
    }

    @Override
    public void setReceiveListener(Runnable listener) {
        device.setReceiveListener(listener);
    }

    @Override
    public boolean receiveWakeupSupported() {
        return device.receiveWakeupSupported();
    }

    @Override
    public boolean armReceiveWakeup() {
        return device.armReceiveWakeup();
    }
}
