package dev.libos.net.host;

import dev.libos.api.device.NetDevice;
import java.lang.foreign.MemorySegment;

/**
 * A device seen with a smaller MTU than its own (a configured {@code libos.net.mtu}, e.g. for a
 * tunnel on the path): the stack fragments and sizes segments to it; everything else goes to
 * the device as it is.
 */
final class MtuLimitedDevice implements NetDevice {
    private final NetDevice device;
    private final int mtu;

    MtuLimitedDevice(NetDevice device, int mtu) {
        if (mtu < 68 || mtu > device.mtu()) {
            throw new IllegalArgumentException("MTU of " + device.name() + " must be 68-" + device.mtu() + ": " + mtu);
        }
        this.device = device;
        this.mtu = mtu;
    }

    NetDevice device() {
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
        return mtu;
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
}
