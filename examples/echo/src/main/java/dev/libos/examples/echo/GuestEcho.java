package dev.libos.examples.echo;

import dev.libos.api.LibOS;
import dev.libos.net.wire.Ipv4Address;
import dev.libos.net.ip.NetInterface;
import dev.libos.net.ip.NetStack;
import dev.libos.net.ip.NetStackSettings;
import dev.libos.net.socket.StackNetwork;
import dev.libos.net.tcp.TcpConfig;
import java.security.SecureRandom;
import java.util.SplittableRandom;

/**
 * The echo server in a VM image: the libos stack on the libos NIC driver (virtio-net or vmxnet3,
 * whichever card QEMU has), addressed like
 * QEMU's user networking (10.0.2.15/24, gateway 10.0.2.2), so a {@code hostfwd} of the run goal's
 * {@code forwards} reaches guest port 7777 from the host. Prints {@value #LISTENING} once it serves,
 * and the driver's counters after each connection.
 */
public final class GuestEcho {
    /** The console line that says the server is reachable; tests wait for it. */
    public static final String LISTENING = "echo-vm: listening on 10.0.2.15:7777";
    static final Ipv4Address GUEST = Ipv4Address.of(10, 0, 2, 15);
    static final Ipv4Address GATEWAY = Ipv4Address.of(10, 0, 2, 2);

    private GuestEcho() {
    }

    public static void main(String[] args) throws Exception {
        LibOS os = LibOS.current();
        try (GuestNic nic = GuestNic.open(System.out)) {
            NetStack ip = new NetStack(NetStackSettings.DEFAULTS);
            NetInterface iface = ip.addInterface(nic.device());
            ip.configure(iface, GUEST, 24);
            ip.setDefaultRoute(GATEWAY, iface);
            StackNetwork network = StackNetwork.create(ip, TcpConfig.defaults(), os.clock(),
                    new SplittableRandom(new SecureRandom().nextLong()), 4096, 1L << 30);
            try (AutoCloseable poller = network.pollOn(os.cpus(), 0);
                    EchoServer server = EchoServer.start(os, network, Echo.GUEST_PORT,
                            () -> System.out.println("echo-vm: connection closed; " + nic.counters()))) {
                System.out.println(LISTENING);
                server.join();
            }
        }
    }
}
