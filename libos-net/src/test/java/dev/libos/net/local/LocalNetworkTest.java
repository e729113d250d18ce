package dev.libos.net.local;

import dev.libos.api.net.Network;
import dev.libos.net.socket.NetworkContract;

class LocalNetworkTest extends NetworkContract {
    @Override
    protected Network network() {
        return new LocalNetwork();
    }
}
