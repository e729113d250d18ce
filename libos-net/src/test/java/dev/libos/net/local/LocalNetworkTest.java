package dev.libos.net.local;

import dev.libos.net.socket.NetworkContract;
import java.net.InetAddress;

class LocalNetworkTest extends NetworkContract {
    @Override
    protected Hosts hosts() {
        LocalNetwork network = new LocalNetwork();
        return new Hosts(network, network, InetAddress.getLoopbackAddress());
    }
}
