package dev.libos.guest;

import dev.libos.api.LibOS;
import dev.libos.api.spi.BootHook;
import dev.libos.hw.pci.HugePageReservation;
import dev.libos.hw.pci.HugepageDmaMemory;
import dev.libos.hw.pci.HugetlbfsMount;
import dev.libos.hw.pci.PciAttachment;
import dev.libos.hw.pci.PciBus;
import dev.libos.hw.pci.PciDevice;
import dev.libos.hw.pci.PciDriverProvider;
import dev.libos.hw.pci.PciDrivers;
import dev.libos.hw.pci.PciIds;
import dev.libos.hw.virtio.VirtioBlkDevice;
import dev.libos.vfs.VfsException;
import dev.libos.vfs.nio.LibosFileSystemProvider;
import dev.libos.vfs.nio.RoutingRule;
import dev.libos.vfs.nio.VfsRoutingFileSystemProvider;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileSystems;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The guest boot's storage step ({@link BootHook}, registered with ServiceLoader): attaches
 * the PCI storage devices (base class 0x01) with the drivers ServiceLoader finds, names each disk
 * by its virtio-blk id, mounts the well-known volumes ({@link VolumeMounter}), publishes the
 * result as {@link GuestStorage#current()} and makes it reachable through java.nio: always as
 * {@code libos://guest/...}, and as plain {@code Path.of("/data/...")} when the JVM runs in
 * libos-vfs's default-provider mode.
 *
 * <p><b>DMA memory.</b> The disks get a DMA memory of their own, {@value #DMA_PAGES} huge pages,
 * kept for the life of the OS. It is reserved with {@link HugePageReservation}, which grows the
 * kernel's pool by what is missing on top of the pages in use, so the application's network
 * card (probed later, with its own memory) finds its pages too. Network devices are not touched
 * here: the probe looks at storage-class devices only, and a device attached here is skipped by
 * every later probe ({@link PciDrivers}).
 */
public final class StorageBootHook implements BootHook {
    /**
     * Huge pages for the disks' rings and bounce buffers. One virtio-blk disk takes about 290 KiB
     * (three rings and four 68 KiB request slots) and an allocation never crosses a page, so two
     * 2 MiB pages serve about a dozen disks.
     */
    static final int DMA_PAGES = 2;
    /** PCI base class of mass storage controllers (virtio-blk is 0x0100). */
    static final int STORAGE_BASE_CLASS = 0x01;

    private volatile GuestStorage storage;

    @Override
    public String name() {
        return "storage";
    }

    @Override
    public void run(LibOS os, Environment environment, PrintStream console) throws IOException {
        long startNanos = System.nanoTime();
        List<Disk> disks = DiskPartitions.expand(attachDisks(PciBus.system(), console), console);
        long attachedNanos = System.nanoTime();
        GuestStorage mounted = VolumeMounter.mount(disks, console);
        try {
            mounted.attachProc(GuestProcFiles.mount(mounted.vfs(), os, disks));
        } catch (VfsException e) {
            throw new IOException("mounting libos's /proc and /dev in the guest VFS: " + e.getMessage(), e);
        }
        storage = mounted;
        GuestStorage.publish(mounted);
        exposeThroughNio(mounted, console);
        long doneNanos = System.nanoTime();
        console.printf("libos: storage: ready in %d ms (probe and attach %d ms, mount %d ms): %d disk(s), %d volume(s) mounted%n",
                (doneNanos - startNanos) / 1_000_000, (attachedNanos - startNanos) / 1_000_000,
                (doneNanos - attachedNanos) / 1_000_000, disks.size(), mounted.volumes().size());
    }

    @Override
    public void beforeShutdown(PrintStream console) throws Exception {
        GuestStorage s = storage;
        if (s != null && !s.volumes().isEmpty()) {
            s.sync();
        }
    }

    static boolean isStorage(PciIds ids) {
        return ids.baseClass() == STORAGE_BASE_CLASS;
    }

    private static List<Disk> attachDisks(PciBus bus, PrintStream console) throws IOException {
        List<PciDriverProvider> providers = new ArrayList<>();
        ServiceLoader.load(PciDriverProvider.class).forEach(providers::add);
        PciBus.Scan scan = bus.scan();
        boolean anyDriven = false;
        for (PciDevice device : scan.devices()) {
            anyDriven |= isStorage(device.ids()) && providers.stream().anyMatch(p -> p.supports(device.ids()));
        }
        List<Disk> disks = new ArrayList<>();
        if (!anyDriven) {
            console.println("libos: storage: no disks");
            return disks;
        }
        HugePageReservation.ensureAvailable(DMA_PAGES);
        // Never closed: the devices use it until the VM powers off.
        HugepageDmaMemory dma = HugepageDmaMemory.open(HugetlbfsMount.DEFAULT_MOUNT_POINT, DMA_PAGES);
        PciDrivers.ProbeResult found = PciDrivers.probe(scan, dma, providers, StorageBootHook::isStorage);
        for (PciDrivers.ProbeFailure failure : found.failures()) {
            console.println("libos: storage: ERROR pci " + failure.device().address() + " " + failure.device().ids() + ": "
                    + failure.driverName() + " failed, the disk is not available: " + failure.cause());
        }
        for (PciDevice device : found.kernelOwned()) {
            console.println("libos: storage: pci " + device.address() + " is owned by a kernel driver, left alone");
        }
        for (PciAttachment attachment : found.attached()) {
            if (attachment instanceof PciAttachment.Block block) {
                String id = block.device() instanceof VirtioBlkDevice virtio ? virtio.readId() : "";
                disks.add(new Disk(id, block.device(), "pci " + block.pciDevice().address() + " " + block.driverName()
                        + ", " + block.device().blockCount() + " x " + block.device().blockSize() + " bytes"));
            }
        }
        return disks;
    }

    private static void exposeThroughNio(GuestStorage storage, PrintStream console) {
        LibosFileSystemProvider.instance().newFileSystem(GuestVolumes.NIO_FILE_SYSTEM, storage.vfs());
        if (storage.volumes().isEmpty()) {
            return;
        }
        if (FileSystems.getDefault().provider() instanceof VfsRoutingFileSystemProvider routing) {
            List<String> mountPoints = storage.volumes().stream().map(Volume::mountPoint).toList();
            routing.install(storage.vfs(), RoutingRule.of(mountPoints));
            console.println("libos: storage: java.nio paths under " + String.join(", ", mountPoints) + " go to the libos VFS");
        }
    }
}
