package dev.libos.examples.echo;

import dev.libos.api.LibOS;
import dev.libos.guest.GuestNetwork;
import java.net.NetworkInterface;

/**
 * The echo server in a VM image: libos-guest's boot hook has brought up the NIC (virtio-net or
 * vmxnet3, on PCI or virtio-mmio) with DHCP from QEMU's user networking (10.0.2.15/24, gateway
 * 10.0.2.2), so a {@code hostfwd} of the run goal's {@code forwards} reaches guest port 7777 from
 * the host. Prints {@value #LISTENING} once it serves, and the driver's counters after each
 * connection.
 */
public final class GuestEcho {
    /** The console line that says the server is reachable; tests wait for it. */
    public static final String LISTENING = "echo-vm: listening on 10.0.2.15:7777";

    private GuestEcho() {
    }

    public static void main(String[] args) throws Exception {
        try (EchoServer server = EchoServer.start(LibOS.current(), Echo.systemNetwork(), Echo.GUEST_PORT,
                () -> System.out.println("echo-vm: connection closed; "
                        + GuestNetwork.current().map(GuestNetwork::driverCounters).orElse("no driver")))) {
            // What the JDK itself sees (Linux's interfaces: lo, brought up by the boot), as Netty reads at start-up.
            System.out.println("echo-vm: java.net.NetworkInterface lists "
                    + NetworkInterface.networkInterfaces().map(i -> i.getName() + " " + i.inetAddresses().toList()).toList());
            System.out.println(LISTENING);
            server.join();
        }
    }
}
