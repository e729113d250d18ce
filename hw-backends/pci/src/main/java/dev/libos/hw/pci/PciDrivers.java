package dev.libos.hw.pci;

import dev.libos.api.device.DmaMemory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Matches the devices on a bus with the drivers on the class path. A device takes the first
 * provider (in ServiceLoader order) whose {@link PciDriverProvider#supports} accepts it. A device
 * the kernel already drives is left alone, and one driver failing does not stop the others.
 *
 * <p>A device is driven by one driver per process, like a Linux device bound to one driver:
 * once a probe attached it, later probes (the guest's boot attaches the disks, the application
 * its network card) list it in {@link ProbeResult#attachedEarlier()} and leave it alone, so a
 * second probe never resets a device whose file system is mounted. There is no detach: a claim
 * lasts as long as the process.
 */
public final class PciDrivers {
    /** Sysfs directory of every device attached in this process, with the driver that took it. */
    private static final ConcurrentHashMap<String, String> ATTACHED = new ConcurrentHashMap<>();

    private PciDrivers() {
    }

    /** Probes {@code bus} with the providers {@link ServiceLoader} finds. */
    public static ProbeResult probe(PciBus bus, DmaMemory memory) throws IOException {
        List<PciDriverProvider> providers = new ArrayList<>();
        ServiceLoader.load(PciDriverProvider.class).forEach(providers::add);
        return probe(bus, memory, providers);
    }

    /**
     * Probes {@code bus} with {@code providers}, in order.
     *
     * @throws IOException only when the bus itself cannot be listed
     */
    public static ProbeResult probe(PciBus bus, DmaMemory memory, List<PciDriverProvider> providers)
            throws IOException {
        return probe(bus, memory, providers, ids -> true);
    }

    /**
     * Probes the devices of {@code bus} that {@code wanted} selects (by their ids, for instance
     * {@code ids -> ids.baseClass() == 0x01} for storage) with {@code providers}, in order.
     * Devices {@code wanted} rejects are not looked at and appear in no list.
     *
     * @throws IOException only when the bus itself cannot be listed
     */
    public static ProbeResult probe(PciBus bus, DmaMemory memory, List<PciDriverProvider> providers,
                                    Predicate<PciIds> wanted) throws IOException {
        return probe(bus.scan(), memory, providers, wanted);
    }

    /**
     * Probes the devices of an earlier {@code scan} (for a caller that looked at the bus first, so
     * sysfs is read once) like {@link #probe(PciBus, DmaMemory, List, Predicate)}.
     */
    public static ProbeResult probe(PciBus.Scan scan, DmaMemory memory, List<PciDriverProvider> providers,
                                    Predicate<PciIds> wanted) {
        List<PciAttachment> attached = new ArrayList<>();
        List<PciDevice> unmatched = new ArrayList<>();
        List<PciDevice> kernelOwned = new ArrayList<>();
        List<PciDevice> attachedEarlier = new ArrayList<>();
        List<ProbeFailure> failures = new ArrayList<>();
        for (PciDevice device : scan.devices()) {
            if (!wanted.test(device.ids())) {
                continue;
            }
            String key = claimKey(device);
            if (ATTACHED.containsKey(key)) {
                attachedEarlier.add(device);
                continue;
            }
            Optional<PciDriverProvider> provider = providers.stream()
                    .filter(candidate -> candidate.supports(device.ids())).findFirst();
            if (provider.isEmpty()) {
                unmatched.add(device);
                continue;
            }
            try {
                if (device.kernelDriver().isPresent()) {
                    kernelOwned.add(device);
                    continue;
                }
                // Claim before attaching, so two probes racing cannot both drive the device.
                if (ATTACHED.putIfAbsent(key, provider.get().name()) != null) {
                    attachedEarlier.add(device);
                    continue;
                }
                try {
                    attached.add(provider.get().attach(device, memory));
                } catch (IOException | RuntimeException e) {
                    ATTACHED.remove(key); // a failed attach leaves the device free for another try
                    throw e;
                }
            } catch (IOException | RuntimeException e) {
                failures.add(new ProbeFailure(device, provider.get().name(), e));
            }
        }
        return new ProbeResult(List.copyOf(attached), List.copyOf(unmatched), List.copyOf(kernelOwned),
                List.copyOf(attachedEarlier), List.copyOf(failures), scan.unreadable());
    }

    private static String claimKey(PciDevice device) {
        return device.directory().toAbsolutePath().normalize().toString();
    }

    /**
     * What a probe found.
     *
     * @param attached devices a driver took over
     * @param unmatched devices no provider supports
     * @param kernelOwned devices a provider supports but a kernel driver is bound to
     * @param attachedEarlier devices an earlier probe of this process attached (left alone)
     * @param failures devices whose driver failed to attach
     * @param unreadable devices whose sysfs files were malformed, one error each naming the file
     */
    public record ProbeResult(List<PciAttachment> attached, List<PciDevice> unmatched, List<PciDevice> kernelOwned,
                              List<PciDevice> attachedEarlier, List<ProbeFailure> failures, List<IOException> unreadable) {
    }

    /**
     * A driver that failed to attach.
     *
     * @param device the device
     * @param driverName the provider's name
     * @param cause what went wrong
     */
    public record ProbeFailure(PciDevice device, String driverName, Exception cause) {
    }
}
