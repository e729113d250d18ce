package dev.libos.guest;

import dev.libos.api.device.NetDevice;
import dev.libos.hw.pci.HugePageReservation;
import dev.libos.hw.pci.HugepageDmaMemory;
import dev.libos.hw.pci.HugetlbfsMount;
import dev.libos.hw.pci.PciAttachment;
import dev.libos.hw.pci.PciBus;
import dev.libos.hw.pci.PciDevice;
import dev.libos.hw.pci.PciDriverProvider;
import dev.libos.hw.pci.PciDrivers;
import dev.libos.hw.pci.PciIds;
import dev.libos.hw.virtio.VirtioMmioAttachment;
import dev.libos.hw.virtio.VirtioMmioDiscovery;
import dev.libos.hw.virtio.VirtioMmioDrivers;
import dev.libos.hw.virtio.VirtioNetDevice;
import dev.libos.hw.vmxnet3.Vmxnet3NetDevice;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The guest's network cards, taken from Linux: huge pages reserved for DMA, the PCI bus's
 * network-class devices probed with the drivers {@link ServiceLoader} finds (virtio-net from
 * hw-virtio, vmxnet3 from hw-vmxnet3), then, when PCI had none, the virtio-mmio transports the
 * kernel knows of (QEMU's microvm). What the probes saw that they could not use is printed, so
 * a boot without its NIC explains itself.
 */
final class GuestNics {
    /** Huge pages for descriptor rings and packet buffers (2 MiB each on x86: 16 MiB). */
    static final int DMA_PAGES = 8;
    /** PCI base class of network controllers (virtio-net and vmxnet3 are 0x0200). */
    static final int NETWORK_BASE_CLASS = 0x02;
    private static final String PREFIX = "libos: network: ";
    /** Where the image goal puts uio_pci_generic and what it needs, with their modules.order. */
    static final Path INTERRUPT_MODULES = Path.of("/libos/interrupt-modules");

    /** One attached card: its device, and where it was found for the console. */
    record Nic(NetDevice device, String where) {
        /** The driver's statistics, for the console. */
        String counters() {
            return switch (device) {
                case VirtioNetDevice virtio -> virtio.counters().toString();
                case Vmxnet3NetDevice vmxnet3 -> vmxnet3.counters().toString();
                default -> device.name();
            };
        }
    }

    private GuestNics() {
    }

    /**
     * Attaches every network card a driver on the class path supports. The DMA memory is kept
     * for the life of the VM (the cards use it until power-off); none is reserved when the bus
     * has no card a driver supports.
     */
    static List<Nic> attach(PrintStream console) throws IOException {
        List<PciDriverProvider> providers = new ArrayList<>();
        ServiceLoader.load(PciDriverProvider.class).forEach(providers::add);
        PciBus.Scan scan = PciBus.system().scan();
        VirtioMmioDiscovery.Found mmioSlots = VirtioMmioDiscovery.system();
        boolean pciCard = scan.devices().stream()
                .anyMatch(d -> isNetwork(d.ids()) && providers.stream().anyMatch(p -> p.supports(d.ids())));
        if (!pciCard && mmioSlots.slots().isEmpty()) {
            return List.of();
        }
        if (pciCard) {
            loadInterruptModules(console);
        }
        HugePageReservation.ensureAvailable(DMA_PAGES);
        HugepageDmaMemory dma = HugepageDmaMemory.open(HugetlbfsMount.DEFAULT_MOUNT_POINT, DMA_PAGES);
        List<Nic> nics = new ArrayList<>();
        PciDrivers.ProbeResult pci = PciDrivers.probe(scan, dma, providers, GuestNics::isNetwork);
        report(pci, console);
        for (PciAttachment attachment : pci.attached()) {
            if (attachment instanceof PciAttachment.Net net) {
                nics.add(new Nic(net.device(), net.driverName() + " on pci " + net.pciDevice().address()));
                console.println(PREFIX + net.device().name() + " receive wake-up: " + net.receiveWakeup());
            }
        }
        if (nics.isEmpty() && !mmioSlots.slots().isEmpty()) {
            console.println(PREFIX + "virtio-mmio has no interrupt path to user space: an idle CPU polls the card every"
                    + " libos.idle.maxParkMicros");
            VirtioMmioDrivers.ProbeResult mmio = VirtioMmioDrivers.probe(mmioSlots.slots(), dma);
            report(mmioSlots, mmio, console);
            for (VirtioMmioAttachment attachment : mmio.attached()) {
                if (attachment instanceof VirtioMmioAttachment.Net net) {
                    nics.add(new Nic(net.device(), net.driverName() + " on virtio-mmio " + net.slot()));
                }
            }
        }
        if (nics.isEmpty()) {
            dma.close();
        }
        return nics;
    }

    /**
     * Loads the modules the image carries for device interrupts ({@code uio_pci_generic}, see
     * {@link #INTERRUPT_MODULES}), so the drivers can bind their cards to it. Without them the
     * cards are polled; the drivers say so per card.
     */
    private static void loadInterruptModules(PrintStream console) {
        if (!Files.isRegularFile(INTERRUPT_MODULES.resolve(KernelModuleLoader.ORDER_FILE))) {
            return; // the drivers report "uio_pci_generic is not loaded"
        }
        try {
            new KernelModuleLoader().loadAll(INTERRUPT_MODULES);
        } catch (IOException | RuntimeException e) {
            console.println(PREFIX + "interrupt modules not loaded (cards are polled): " + e.getMessage());
        }
    }

    static boolean isNetwork(PciIds ids) {
        return ids.baseClass() == NETWORK_BASE_CLASS;
    }

    private static void report(PciDrivers.ProbeResult found, PrintStream console) throws IOException {
        for (PciDevice device : found.kernelOwned()) {
            console.println(PREFIX + "pci " + device.address() + " " + device.ids() + " owned by kernel driver "
                    + device.kernelDriver().orElse("?") + ", left alone");
        }
        for (PciDrivers.ProbeFailure failure : found.failures()) {
            console.println(PREFIX + "ERROR pci " + failure.device().address() + " " + failure.device().ids() + ": "
                    + failure.driverName() + " failed: " + failure.cause());
        }
        for (IOException unreadable : found.unreadable()) {
            console.println(PREFIX + "pci unreadable: " + unreadable.getMessage());
        }
    }

    private static void report(VirtioMmioDiscovery.Found found, VirtioMmioDrivers.ProbeResult probe, PrintStream console) {
        for (String malformed : found.malformed()) {
            console.println(PREFIX + "virtio-mmio discovery dropped: " + malformed);
        }
        for (VirtioMmioDrivers.KernelOwned owned : probe.kernelOwned()) {
            console.println(PREFIX + "virtio-mmio " + owned.slot() + " owned by kernel driver " + owned.kernelDriver());
        }
        for (VirtioMmioDrivers.ProbeFailure failure : probe.failures()) {
            console.println(PREFIX + "ERROR virtio-mmio " + failure.slot() + " failed: " + failure.cause().getMessage());
        }
        for (VirtioMmioDrivers.Unmatched unmatched : probe.unmatched()) {
            console.println(PREFIX + "virtio-mmio " + unmatched.slot() + " " + unmatched.identity().describe() + " (no driver)");
        }
    }
}
