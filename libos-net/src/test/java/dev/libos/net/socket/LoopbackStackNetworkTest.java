package dev.libos.net.socket;

import dev.libos.core.Kernel;
import dev.libos.core.testing.TestKernels;
import dev.libos.hw.hosted.net.LinkFaults;
import dev.libos.hw.hosted.net.MemoryLink;
import dev.libos.net.host.Addressing;
import dev.libos.net.host.HostStack;
import dev.libos.net.host.StackLimits;
import dev.libos.net.wire.Ipv4Address;
import java.net.InetAddress;
import java.util.SplittableRandom;

/**
 * The socket contract within one host through its loopback interface: an application that
 * connects to itself on 127.0.0.1 (the host also has a NIC at 10.0.0.1, which nothing uses).
 */
class LoopbackStackNetworkTest extends NetworkContract {
    private Kernel kernel;
    private HostStack host;

    @Override
    protected Hosts hosts() {
        kernel = TestKernels.boot(1);
        MemoryLink link = new MemoryLink("unused", 7, kernel.clock(), LinkFaults.NONE, 1);
        host = HostStack.builder(kernel.clock(), new SplittableRandom(11)).limits(StackLimits.SMALL)
                .addInterface(link.a(), Addressing.fixed(Ipv4Address.of(10, 0, 0, 1), 24, null)).build();
        host.pollOn(kernel.cpus(), 0);
        return new Hosts(host.sockets(), host.sockets(), InetAddress.getLoopbackAddress());
    }

    @Override
    protected void releaseHosts() {
        host.close();
        TestKernels.shutdown(kernel);
    }
}
