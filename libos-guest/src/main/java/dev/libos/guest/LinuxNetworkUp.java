package dev.libos.guest;

import dev.libos.net.host.Addressing;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The guest's network on Linux's own driver and TCP/IP ({@code libos.network=linux}, the image
 * goal's {@code LinuxNetworkImage}), as an init system would bring it up: loads the virtio-net
 * modules the image carries ({@code finit_module(2)}, in the image's order), binds virtio-pci to
 * the network cards only (the kernel must not take a disk libos's own driver already runs), then
 * gives the card its address, netmask, up flag and default route with netdevice(7) ioctls. libos's
 * stack is not started: the application runs on the JDK's own sockets over Linux's stack.
 */
final class LinuxNetworkUp {
    static final String MODE_PROPERTY = "libos.network";
    static final String LINUX = "linux";
    static final Path MODULES = Path.of("/libos/linux-network");
    static final String ORDER_FILE = "modules.order";
    private static final Path PCI = Path.of("/sys/bus/pci");
    private static final Path NET_CLASS = Path.of("/sys/class/net");
    private static final String VIRTIO_VENDOR = "0x1af4";
    private static final int SOCK_DGRAM = 2;
    private static final long SIOCADDRT = 0x890B;
    private static final long SIOCGIFFLAGS = 0x8913;
    private static final long SIOCSIFFLAGS = 0x8914;
    private static final long SIOCSIFADDR = 0x8916;
    private static final long SIOCSIFNETMASK = 0x891C;
    private static final short IFF_UP = 0x1;
    private static final short IFF_RUNNING = 0x40;
    private static final long INTERFACE_WAIT_MILLIS = 10_000;

    private final MethodHandle close;
    private final MethodHandle socket;
    private final MethodHandle ioctl;
    private final StructLayout callState = Linker.Option.captureStateLayout();
    private final VarHandle errno = callState.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private LinuxNetworkUp() {
        Linker linker = Linker.nativeLinker();
        Linker.Option captureErrno = Linker.Option.captureCallState("errno");
        close = downcall(linker, "close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        socket = downcall(linker, "socket", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), captureErrno);
        ioctl = downcall(linker, "ioctl", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_LONG, ValueLayout.ADDRESS), captureErrno, Linker.Option.firstVariadicArg(2));
    }

    /** Whether the image asks for Linux's network ({@code -Dlibos.network=linux} on the kernel command line). */
    static boolean requested() {
        return LINUX.equals(System.getProperty(MODE_PROPERTY));
    }

    /**
     * Loads the modules, configures the first card and prints one line of what it did.
     *
     * @throws IOException naming the step that failed (a module, the card, an ioctl and its errno)
     */
    static void bringUp(Addressing.Fixed configured, PrintStream console, long startNanos) throws IOException {
        new LinuxNetworkUp().run(LinuxInterfaceRequests.addressOrDefault(configured), console, startNanos);
    }

    private void run(Addressing.Fixed address, PrintStream console, long startNanos) throws IOException {
        List<String> modules = moduleOrder(Files.readString(MODULES.resolve(ORDER_FILE), StandardCharsets.US_ASCII));
        List<String> networkCards = virtioNetworkCards();
        // With autoprobe off, loading virtio_pci binds nothing; the cards are then bound one by one.
        Path autoprobe = PCI.resolve("drivers_autoprobe");
        Files.writeString(autoprobe, "0");
        try {
            KernelModuleLoader loader = new KernelModuleLoader();
            for (String module : modules) {
                loader.load(MODULES.resolve(module));
            }
            for (String card : networkCards) {
                Files.writeString(PCI.resolve("drivers/virtio-pci/bind"), card);
            }
        } finally {
            Files.writeString(autoprobe, "1");
        }
        String name = awaitInterface();
        configure(name, address);
        console.println(NetworkBootHook.PREFIX + "Linux's " + name + " (virtio_net, " + modules.size() + " modules loaded, pci "
                + String.join(",", networkCards) + ") " + address.address() + "/" + address.prefixLength()
                + ", gateway " + (address.gateway() == null ? "none" : address.gateway())
                + "; libos's stack not started, the JDK's own sockets run on Linux's TCP/IP, in "
                + (System.nanoTime() - startNanos) / 1_000_000 + " ms");
    }

    /** The module file names of the image's order file, one a line; blank lines are skipped. */
    static List<String> moduleOrder(String text) {
        return KernelModuleLoader.moduleOrder(text, MODULES.resolve(ORDER_FILE));
    }

    private static List<String> virtioNetworkCards() throws IOException {
        List<String> cards = new ArrayList<>();
        try (DirectoryStream<Path> devices = Files.newDirectoryStream(PCI.resolve("devices"))) {
            for (Path device : devices) {
                if (Files.readString(device.resolve("vendor")).strip().equals(VIRTIO_VENDOR)
                        && Files.readString(device.resolve("class")).strip().startsWith("0x02")) {
                    cards.add(device.getFileName().toString());
                }
            }
        }
        if (cards.isEmpty()) {
            throw new IOException("no virtio network card on the PCI bus (libos.network=linux drives virtio-net over PCI)");
        }
        cards.sort(null);
        return cards;
    }

    /** The first interface other than lo, once virtio_net has registered it. */
    private static String awaitInterface() throws IOException {
        long deadline = System.nanoTime() + INTERFACE_WAIT_MILLIS * 1_000_000;
        while (true) {
            try (DirectoryStream<Path> interfaces = Files.newDirectoryStream(NET_CLASS)) {
                List<String> names = new ArrayList<>();
                interfaces.forEach(i -> names.add(i.getFileName().toString()));
                names.remove("lo");
                if (!names.isEmpty()) {
                    names.sort(null);
                    return names.getFirst();
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("virtio_net is loaded but no interface appeared in " + NET_CLASS + " within "
                        + INTERFACE_WAIT_MILLIS + " ms");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted waiting for the interface", e);
            }
        }
    }

    private void configure(String name, Addressing.Fixed address) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(callState);
            int fd = (int) socket.invokeExact(state, LinuxInterfaceRequests.AF_INET, SOCK_DGRAM, 0);
            if (fd < 0) {
                throw new IOException("socket(AF_INET, SOCK_DGRAM): errno " + (int) errno.get(state, 0L));
            }
            try {
                call(arena, state, fd, SIOCSIFADDR, LinuxInterfaceRequests.withAddress(name, address.address()), "SIOCSIFADDR " + name);
                call(arena, state, fd, SIOCSIFNETMASK, LinuxInterfaceRequests.withAddress(name,
                        LinuxInterfaceRequests.netmask(address.prefixLength())), "SIOCSIFNETMASK " + name);
                MemorySegment flags = call(arena, state, fd, SIOCGIFFLAGS, LinuxInterfaceRequests.withFlags(name, (short) 0),
                        "SIOCGIFFLAGS " + name);
                short up = (short) (flags.get(ValueLayout.JAVA_SHORT, LinuxInterfaceRequests.IFNAMSIZ) | IFF_UP | IFF_RUNNING);
                call(arena, state, fd, SIOCSIFFLAGS, LinuxInterfaceRequests.withFlags(name, up), "SIOCSIFFLAGS " + name + " up");
                if (address.gateway() != null) {
                    call(arena, state, fd, SIOCADDRT, LinuxInterfaceRequests.defaultRoute(address.gateway()),
                            "SIOCADDRT default via " + address.gateway());
                }
            } finally {
                int ignored = (int) close.invokeExact(fd);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("configuring " + name + " failed: " + t, t);
        }
    }

    private MemorySegment call(Arena arena, MemorySegment state, int fd, long request, byte[] argument, String what) throws Throwable {
        MemorySegment buffer = arena.allocate(argument.length, 8);
        MemorySegment.copy(argument, 0, buffer, ValueLayout.JAVA_BYTE, 0, argument.length);
        if ((int) ioctl.invokeExact(state, fd, request, buffer) < 0) {
            throw new IOException("ioctl(" + what + "): errno " + (int) errno.get(state, 0L));
        }
        return buffer;
    }

    static MethodHandle downcall(Linker linker, String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment address = linker.defaultLookup().find(name)
                .orElseThrow(() -> new IllegalStateException("C library has no " + name));
        return linker.downcallHandle(address, descriptor, options);
    }
}
