package dev.libos.examples.echo;

import dev.libos.api.LibOS;
import dev.libos.api.net.Network;
import dev.libos.guest.GuestNetwork;
import dev.libos.net.socket.StackNetwork;
import java.net.NetworkInterface;

/**
 * The echo server in a VM image: libos-guest's boot hook has brought up the NIC (virtio-net or
 * vmxnet3, on PCI or virtio-mmio) with DHCP from QEMU's user networking (10.0.2.15/24, gateway
 * 10.0.2.2), so a {@code hostfwd} of the run goal's {@code forwards} reaches guest port 7777 from
 * the host. Prints {@value #LISTENING} once it serves, the driver's counters and the stack's
 * figures after each connection, and the stack's figures again whenever they change (checked every
 * {@value #STACK_FIGURES_PERIOD_MILLIS} ms), so the state after the last connection can be read
 * from the console (bin/vm-soak-test waits for it).
 */
public final class GuestEcho {
    /** The console line that says the server is reachable; tests wait for it. */
    public static final String LISTENING = "echo-vm: listening on 10.0.2.15:7777";
    private static final long STACK_FIGURES_PERIOD_MILLIS = 2000;

    private GuestEcho() {
    }

    public static void main(String[] args) throws Exception {
        LibOS os = LibOS.current();
        Network network = Echo.systemNetwork();
        try (EchoServer server = EchoServer.start(os, network, Echo.GUEST_PORT,
                () -> System.out.println("echo-vm: connection closed; "
                        + GuestNetwork.current().map(GuestNetwork::driverCounters).orElse("no driver")
                        + "; " + stackFigures(network)))) {
            // What the JDK itself sees (Linux's interfaces: lo, brought up by the boot), as Netty reads at start-up.
            System.out.println("echo-vm: java.net.NetworkInterface lists "
                    + NetworkInterface.networkInterfaces().map(i -> i.getName() + " " + i.inetAddresses().toList()).toList());
            System.out.println("echo-vm: " + stackFigures(network));
            Thread figures = os.threads().start("echo-stack-figures", () -> printStackFiguresWhenChanged(network));
            System.out.println(LISTENING);
            try {
                server.join();
            } finally {
                figures.interrupt();
            }
        }
    }

    /** Prints {@link #stackFigures} every period in which they changed, until interrupted. */
    private static void printStackFiguresWhenChanged(Network network) {
        String last = stackFigures(network);
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(STACK_FIGURES_PERIOD_MILLIS);
                String now = stackFigures(network);
                if (!now.equals(last)) {
                    System.out.println("echo-vm: " + now);
                    last = now;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The stack's TCP figures, read under the stack lock: connections not in TIME-WAIT (the
     * listener is not one), TIME-WAIT entries, and bytes of buffer reserved for connections.
     */
    static String stackFigures(Network network) {
        if (!(network instanceof StackNetwork stack)) {
            return "stack figures unavailable (not a libos-net stack)";
        }
        long[] f = stack.withStack(() -> new long[] {stack.tcp().connectionCount(), stack.tcp().timeWaitCount(),
                stack.tcp().committedBufferBytes()});
        return "stack live " + (f[0] - f[1]) + " time-wait " + f[1] + " reserved " + f[2];
    }
}
