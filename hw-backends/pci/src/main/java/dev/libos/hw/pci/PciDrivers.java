package dev.libos.hw.pci;

import dev.libos.api.device.DmaMemory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Matches the devices on a bus with the drivers on the class path. A device takes the first
 * provider (in ServiceLoader order) whose {@link PciDriverProvider#supports} accepts it. A device
 * the kernel already drives is left alone, and one driver failing does not stop the others.
 */
public final class PciDrivers {
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
        PciBus.Scan scan = bus.scan();
        List<PciAttachment> attached = new ArrayList<>();
        List<PciDevice> unmatched = new ArrayList<>();
        List<PciDevice> kernelOwned = new ArrayList<>();
        List<ProbeFailure> failures = new ArrayList<>();
        for (PciDevice device : scan.devices()) {
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
                attached.add(provider.get().attach(device, memory));
            } catch (IOException | RuntimeException e) {
                failures.add(new ProbeFailure(device, provider.get().name(), e));
            }
        }
        return new ProbeResult(List.copyOf(attached), List.copyOf(unmatched), List.copyOf(kernelOwned),
                List.copyOf(failures), scan.unreadable());
    }

    /**
     * What a probe found.
     *
     * @param attached devices a driver took over
     * @param unmatched devices no provider supports
     * @param kernelOwned devices a provider supports but a kernel driver is bound to
     * @param failures devices whose driver failed to attach
     * @param unreadable devices whose sysfs files were malformed, one error each naming the file
     */
    public record ProbeResult(List<PciAttachment> attached, List<PciDevice> unmatched, List<PciDevice> kernelOwned,
                              List<ProbeFailure> failures, List<IOException> unreadable) {
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
