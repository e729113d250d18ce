package dev.libos.net.host;

import dev.libos.api.device.NetDevice;

/**
 * A device seen with a smaller MTU than its own (a configured {@code libos.net.mtu}, e.g. for a
 * tunnel on the path): the stack fragments and sizes segments to it; everything else goes to
 * the device as it is.
 */
final class MtuLimitedDevice extends ForwardingNetDevice {
    private final int mtu;

    MtuLimitedDevice(NetDevice device, int mtu) {
        super(device);
        if (mtu < 68 || mtu > device.mtu()) {
            throw new IllegalArgumentException("MTU of " + device.name() + " must be 68-" + device.mtu() + ": " + mtu);
        }
        this.mtu = mtu;
    }

    @Override
    public int mtu() {
        return mtu;
    }
}
