package dev.libos.examples.echo;

import dev.libos.api.device.NetDevice;
import dev.libos.hw.pci.HugePageReservation;
import dev.libos.hw.pci.HugepageDmaMemory;
import dev.libos.hw.pci.HugetlbfsMount;
import dev.libos.hw.pci.PciAttachment;
import dev.libos.hw.pci.PciBus;
import dev.libos.hw.pci.PciDevice;
import dev.libos.hw.pci.PciDriverProvider;
import dev.libos.hw.pci.PciDrivers;
import dev.libos.hw.virtio.VirtioNetDevice;
import dev.libos.hw.vmxnet3.Vmxnet3NetDevice;
import dev.libos.hw.virtio.VirtioMmioAttachment;
import dev.libos.hw.virtio.VirtioMmioDiscovery;
import dev.libos.hw.virtio.VirtioMmioDrivers;
import dev.libos.hw.virtio.VirtioMmioSlot;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The guest's network card, taken from Linux: huge pages reserved for DMA, the PCI bus probed with
 * the drivers {@link ServiceLoader} finds (virtio-net from hw-virtio, vmxnet3 from hw-vmxnet3),
 * then, if PCI had none, the virtio-mmio transports (QEMU microvm), and the first attached
 * {@link NetDevice} handed out. Everything found is printed on the console so a failed
 * boot explains itself.
 */
final class GuestNic implements AutoCloseable {
    /** Huge pages for descriptor rings and packet buffers (2 MiB each on x86: 16 MiB). */
    static final int DMA_PAGES = 8;

    private final HugepageDmaMemory dma;
    private final NetDevice device;

    private GuestNic(HugepageDmaMemory dma, NetDevice device) {
        this.dma = dma;
        this.device = device;
    }

    /**
     * Reserves huge pages, probes the PCI bus, then (when PCI had no network device, as on QEMU's
     * microvm machine) the virtio-mmio transports the kernel knows of, and takes the first
     * network device a driver attached.
     *
     * @throws IOException when no driver attached a network device; the message lists what the probes saw
     */
    static GuestNic open(PrintStream console) throws IOException {
        reserveHugePages(DMA_PAGES);
        HugepageDmaMemory dma = HugepageDmaMemory.open(HugetlbfsMount.DEFAULT_MOUNT_POINT, DMA_PAGES);
        try {
            PciDrivers.ProbeResult pci = PciDrivers.probe(PciBus.system(), dma, providers());
            report(pci, console);
            for (PciAttachment attachment : pci.attached()) {
                if (attachment instanceof PciAttachment.Net net) {
                    console.println("echo-vm: network device " + net.device().name() + " (" + net.driverName()
                            + " on " + net.pciDevice().address() + ")");
                    return new GuestNic(dma, net.device());
                }
            }
            VirtioMmioDiscovery.Found found = VirtioMmioDiscovery.system();
            VirtioMmioDrivers.ProbeResult mmio = VirtioMmioDrivers.probe(found.slots(), dma);
            report(found, mmio, console);
            for (VirtioMmioAttachment attachment : mmio.attached()) {
                if (attachment instanceof VirtioMmioAttachment.Net net) {
                    console.println("echo-vm: network device " + net.device().name() + " (" + net.driverName()
                            + " on virtio-mmio " + net.slot() + ")");
                    return new GuestNic(dma, net.device());
                }
            }
            throw new IOException("no network device attached: pci " + pci.attached().size() + " attached, "
                    + pci.kernelOwned().size() + " kernel-owned, " + pci.failures().size() + " failed; virtio-mmio "
                    + found.slots().size() + " slots, " + mmio.attached().size() + " attached, "
                    + mmio.kernelOwned().size() + " kernel-owned, " + mmio.failures().size() + " failed");
        } catch (IOException | RuntimeException e) {
            dma.close();
            throw e;
        }
    }

    /** The drivers on the class path. */
    static List<PciDriverProvider> providers() {
        List<PciDriverProvider> providers = new ArrayList<>();
        ServiceLoader.load(PciDriverProvider.class).forEach(providers::add);
        return providers;
    }

    /**
     * Makes sure {@code pages} huge pages are available on top of those already in use (the
     * guest's boot has taken some for its disks): see {@link HugePageReservation}.
     */
    static void reserveHugePages(int pages) throws IOException {
        HugePageReservation.ensureAvailable(pages);
    }

    private static void report(PciDrivers.ProbeResult found, PrintStream console) throws IOException {
        for (PciAttachment attachment : found.attached()) {
            console.println("echo-vm: pci " + attachment.pciDevice().address() + " " + attachment.pciDevice().ids()
                    + " attached by " + attachment.driverName());
        }
        for (PciDevice device : found.kernelOwned()) {
            console.println("echo-vm: pci " + device.address() + " " + device.ids() + " owned by kernel driver "
                    + device.kernelDriver().orElse("?"));
        }
        for (PciDrivers.ProbeFailure failure : found.failures()) {
            console.println("echo-vm: pci " + failure.device().address() + " " + failure.device().ids() + ": "
                    + failure.driverName() + " failed: " + failure.cause());
        }
        for (PciDevice device : found.unmatched()) {
            console.println("echo-vm: pci " + device.address() + " " + device.ids() + " (no driver)");
        }
        for (IOException unreadable : found.unreadable()) {
            console.println("echo-vm: pci unreadable: " + unreadable.getMessage());
        }
    }

    private static void report(VirtioMmioDiscovery.Found found, VirtioMmioDrivers.ProbeResult probe, PrintStream console) {
        for (String malformed : found.malformed()) {
            console.println("echo-vm: virtio-mmio discovery dropped: " + malformed);
        }
        for (VirtioMmioAttachment attachment : probe.attached()) {
            console.println("echo-vm: virtio-mmio " + attachment.slot() + " attached by " + attachment.driverName());
        }
        for (VirtioMmioDrivers.KernelOwned owned : probe.kernelOwned()) {
            console.println("echo-vm: virtio-mmio " + owned.slot() + " owned by kernel driver " + owned.kernelDriver());
        }
        for (VirtioMmioDrivers.ProbeFailure failure : probe.failures()) {
            console.println("echo-vm: virtio-mmio " + failure.slot() + " failed: " + failure.cause().getMessage());
        }
        for (VirtioMmioDrivers.Unmatched unmatched : probe.unmatched()) {
            console.println("echo-vm: virtio-mmio " + unmatched.slot() + " " + unmatched.identity().describe() + " (no driver)");
        }
        for (VirtioMmioSlot empty : probe.empty()) {
            console.println("echo-vm: virtio-mmio " + empty + " (no device)");
        }
    }

    NetDevice device() {
        return device;
    }

    /** The driver's statistics, for the console. */
    String counters() {
        return switch (device) {
            case VirtioNetDevice virtio -> virtio.counters().toString();
            case Vmxnet3NetDevice vmxnet3 -> vmxnet3.counters().toString();
            default -> device.name();
        };
    }

    /** Releases the DMA memory; the device must no longer be polled. */
    @Override
    public void close() {
        dma.close();
    }
}
