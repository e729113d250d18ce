package dev.libos.net.interop;

import dev.libos.api.device.NetDevice;
import dev.libos.api.time.MonotonicClock;
import dev.libos.core.Kernel;
import dev.libos.core.testing.TestKernels;
import dev.libos.hw.hosted.tap.NetworkNamespace;
import dev.libos.hw.hosted.tap.TapDevice;
import dev.libos.net.host.Addressing;
import dev.libos.net.host.HostStack;
import dev.libos.net.host.StackLimits;
import dev.libos.net.socket.StackNetwork;
import dev.libos.net.wire.Ipv4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/**
 * A libos host and the Linux kernel on the two ends of a TAP interface. The test JVM creates the
 * TAP in its own namespace and moves it into a fresh network namespace, where Linux holds
 * {@value #LINUX_CIDR} and its tools run ({@code ip netns exec}); the libos stack holds
 * {@link #LIBOS} over the open descriptor, polled by CPU 0 of a booted kernel. Nothing leaves the
 * namespace: it and the interface are deleted by {@link #close()}.
 */
final class LinuxPeer implements AutoCloseable {
    static final Ipv4Address LIBOS = Ipv4Address.of(10, 77, 0, 2);
    static final Ipv4Address LINUX = Ipv4Address.of(10, 77, 0, 1);
    static final String LINUX_CIDR = "10.77.0.1/24";
    static final int MTU = 1500;

    final NetworkNamespace namespace;
    final TapDevice tap;
    final NetDevice device;
    final Kernel kernel;
    final StackNetwork network;
    private final AutoCloseable poller;
    /** tcpdump, when capturing; stopped gently in {@link #close()} so that it flushes. */
    private final Process capture;

    /**
     * @param wrap puts a wrapper (fault injection) between the stack and the TAP, or returns it
     * @param seed seeds the stack's randomness (initial sequence numbers, ports)
     */
    LinuxPeer(UnaryOperator<NetDevice> wrap, long seed) throws Exception {
        NetworkNamespace ns = NetworkNamespace.create("lnet");
        TapDevice opened = null;
        Kernel booted = null;
        Process capture = null;
        try {
            opened = TapDevice.open(NetworkNamespace.uniqueName("ltap"), TapDevice.locallyAdministeredMac(0x77_0002), MTU);
            ns.moveLink(opened.name());
            // IPv6 off on the link: the tests speak IPv4 only and want no unasked traffic.
            ns.execChecked("sysctl", "-q", "-w", "net.ipv6.conf." + opened.name() + ".disable_ipv6=1");
            ns.execChecked("ip", "link", "set", opened.name(), "mtu", Integer.toString(MTU));
            ns.execChecked("ip", "addr", "add", LINUX_CIDR, "dev", opened.name());
            ns.execChecked("ip", "link", "set", opened.name(), "up");
            capture = startCapture(ns, opened.name());
            booted = TestKernels.boot(2);
            NetDevice wrapped = wrap.apply(opened);
            MonotonicClock clock = booted.clock();
            StackNetwork stack = HostStack.builder(clock, new SplittableRandom(seed))
                    .limits(new StackLimits(256, 1L << 28))
                    .addInterface(wrapped, Addressing.fixed(LIBOS, 24, null)).build().sockets();
            this.poller = stack.pollOn(booted.cpus(), 0);
            this.namespace = ns;
            this.tap = opened;
            this.device = wrapped;
            this.kernel = booted;
            this.network = stack;
            this.capture = capture;
        } catch (Exception | Error e) {
            try {
                if (booted != null) {
                    TestKernels.shutdown(booted);
                }
                if (opened != null) {
                    opened.close();
                }
            } finally {
                ns.close();
            }
            throw e;
        }
    }

    /**
     * With {@code -Dlibos.interop.pcap=DIR}, records the link's traffic (headers, 160 bytes a
     * frame) with tcpdump inside the namespace into {@code DIR/<interface>.pcap}, for looking at
     * what each side sent when a test fails.
     */
    private static Process startCapture(NetworkNamespace ns, String device) throws java.io.IOException {
        String dir = System.getProperty("libos.interop.pcap");
        if (dir == null || !NetworkNamespace.toolAvailable("tcpdump")) {
            return null;
        }
        String file = java.nio.file.Path.of(dir, device + ".pcap").toAbsolutePath().toString();
        Process tcpdump = ns.start("tcpdump", "--immediate-mode", "-U", "-n", "-s", "160", "-i", device, "-w", file);
        // tcpdump says "listening on ..." once it captures; each packet is written as it comes.
        String line = new java.io.BufferedReader(new java.io.InputStreamReader(tcpdump.getInputStream())).readLine();
        System.out.println("interop: capturing to " + file + ": " + line);
        return tcpdump;
    }

    static InetAddress inet(Ipv4Address address) {
        try {
            return InetAddress.getByName(address.toString());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What Linux's side of the link looks like now: its counters, for failure messages. */
    String linuxLinkStats() {
        try {
            return namespace.exec("ip", "-s", "link", "show", "dev", tap.name()).output();
        } catch (java.io.IOException e) {
            return "(ip -s link failed: " + e.getMessage() + ")";
        }
    }

    /** Stops polling, shuts the kernel down, closes the TAP and deletes the namespace, whatever fails. */
    @Override
    public void close() throws Exception {
        try {
            poller.close();
        } finally {
            try {
                TestKernels.shutdown(kernel);
            } finally {
                try {
                    if (capture != null) {
                        capture.destroy();
                        capture.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
                    }
                    tap.close();
                } finally {
                    namespace.close();
                }
            }
        }
    }
}
