package dev.libos.sim;

import dev.libos.api.net.HostNetwork;
import dev.libos.api.net.Network;
import java.net.InetAddress;
import java.util.List;

/**
 * The JVM-wide system network while a simulation runs: every call answers with the network of
 * the host whose thread makes it, so {@code new Socket(...)} in host 2's code opens a socket on
 * host 2's stack. Code that is not a simulated thread gets an error naming the thread.
 */
final class RoutedHostNetwork implements HostNetwork {
    private final Simulation simulation;

    RoutedHostNetwork(Simulation simulation) {
        this.simulation = simulation;
    }

    private HostNetwork caller() {
        SimHost.Incarnation incarnation = simulation.incarnationOf(Thread.currentThread());
        if (incarnation == null) {
            throw new IllegalStateException("the simulated network is used by " + Thread.currentThread()
                    + ", which is no thread of a simulated host");
        }
        return incarnation.stack;
    }

    @Override
    public Network sockets() {
        return caller().sockets();
    }

    @Override
    public List<InterfaceInfo> interfaces() {
        return caller().interfaces();
    }

    @Override
    public List<InetAddress> dnsServers() {
        return caller().dnsServers();
    }

    @Override
    public int listeningSockets() {
        return caller().listeningSockets();
    }

    @Override
    public String toString() {
        return "RoutedHostNetwork(" + simulation + ")";
    }
}
