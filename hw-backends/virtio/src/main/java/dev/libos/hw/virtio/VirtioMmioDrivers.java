package dev.libos.hw.virtio;

import dev.libos.api.device.DmaMemory;
import dev.libos.hw.pci.PhysicalMemory;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Drives the virtio-mmio transports {@link VirtioMmioDiscovery} found: maps each window, reads
 * its identity, and opens {@link VirtioNetDevice} (device id 1) or {@link VirtioBlkDevice}
 * (device id 2) on a {@link VirtioMmioTransport}, with the same queue limits as the PCI drivers.
 * The transport is the only difference from PCI. A slot a kernel driver has bound is left alone;
 * one slot failing does not stop the others.
 */
public final class VirtioMmioDrivers {
    /** Where Linux lists platform devices (ACPI-described transports appear as {@code LNRO0005:NN}). */
    public static final Path PLATFORM_DEVICES = Path.of("/sys/bus/platform/devices");
    /** Virtio device ids (VIRTIO 1.2 section 5). */
    static final int NETWORK = 1;
    static final int BLOCK = 2;

    /** Gives the registers of a slot: /dev/mem in the guest, a register model in tests. */
    @FunctionalInterface
    public interface RegisterWindows {
        DeviceRegisters open(VirtioMmioSlot slot) throws IOException;
    }

    private VirtioMmioDrivers() {
    }

    /**
     * Windows mapped through {@code /dev/mem} ({@link PhysicalMemory}), each in an automatic
     * arena: a driven device's transport keeps its mapping alive, an empty slot's is unmapped by
     * the garbage collector.
     */
    public static RegisterWindows physicalMemory() {
        return slot -> DeviceRegisters.of(PhysicalMemory.map(slot.address(), slot.size(), Arena.ofAuto()));
    }

    /** Probes {@code slots} in this guest: /dev/mem windows, kernel drivers from sysfs. */
    public static ProbeResult probe(List<VirtioMmioSlot> slots, DmaMemory memory) {
        return probe(slots, physicalMemory(), PLATFORM_DEVICES, memory);
    }

    /**
     * Probes {@code slots} in order.
     *
     * @param platformDevices the directory whose {@code <slot name>/driver} link names a bound kernel driver
     */
    public static ProbeResult probe(List<VirtioMmioSlot> slots, RegisterWindows windows, Path platformDevices, DmaMemory memory) {
        Objects.requireNonNull(windows, "windows");
        Objects.requireNonNull(memory, "memory");
        List<VirtioMmioAttachment> attached = new ArrayList<>();
        List<VirtioMmioSlot> empty = new ArrayList<>();
        List<Unmatched> unmatched = new ArrayList<>();
        List<KernelOwned> kernelOwned = new ArrayList<>();
        List<ProbeFailure> failures = new ArrayList<>();
        for (VirtioMmioSlot slot : slots) {
            try {
                Optional<String> kernelDriver = kernelDriver(platformDevices, slot);
                if (kernelDriver.isPresent()) {
                    kernelOwned.add(new KernelOwned(slot, kernelDriver.get()));
                    continue;
                }
                if (slot.size() < VirtioMmioRegisters.CONFIG) {
                    throw new IOException(slot + ": a window of " + slot.size() + " bytes cannot hold the virtio-mmio registers");
                }
                DeviceRegisters registers = windows.open(slot);
                VirtioMmioIdentity identity = VirtioMmioIdentity.read(registers);
                if (identity.kind() == VirtioMmioIdentity.Kind.EMPTY) {
                    empty.add(slot);
                    continue;
                }
                if (identity.kind() == VirtioMmioIdentity.Kind.DEVICE && identity.deviceId() != NETWORK && identity.deviceId() != BLOCK) {
                    unmatched.add(new Unmatched(slot, identity));
                    continue;
                }
                // Refuses a legacy, unknown or non-virtio block with a message saying which.
                attached.add(attach(slot, VirtioMmioTransport.open(registers, slot.toString()), memory));
            } catch (IOException | RuntimeException e) {
                failures.add(new ProbeFailure(slot, e));
            }
        }
        return new ProbeResult(List.copyOf(attached), List.copyOf(empty), List.copyOf(unmatched), List.copyOf(kernelOwned),
                List.copyOf(failures));
    }

    private static VirtioMmioAttachment attach(VirtioMmioSlot slot, VirtioMmioTransport transport, DmaMemory memory) throws IOException {
        if (transport.identity().deviceId() == NETWORK) {
            VirtioNetDevice net = VirtioNetDevice.open("vnet-" + slot, transport, memory, VirtioNetPciDriver.MAX_QUEUE_SIZE,
                    VirtioNetPciDriver.FALLBACK_MAC);
            return new VirtioMmioAttachment.Net(slot, "virtio-net", net);
        }
        VirtioBlkDevice blk = VirtioBlkPciDriver.openPolled("vblk-" + slot, transport, memory);
        return new VirtioMmioAttachment.Block(slot, "virtio-blk", blk);
    }

    private static Optional<String> kernelDriver(Path platformDevices, VirtioMmioSlot slot) throws IOException {
        Path link = platformDevices.resolve(slot.name()).resolve("driver");
        if (!Files.isSymbolicLink(link)) {
            return Optional.empty();
        }
        Path target = Files.readSymbolicLink(link).getFileName();
        return Optional.of(target == null ? "?" : target.toString());
    }

    /**
     * What a probe found.
     *
     * @param attached    devices a driver took over
     * @param empty       transports with no device (device id 0)
     * @param unmatched   devices of a type no driver here handles
     * @param kernelOwned transports a kernel driver is bound to
     * @param failures    slots that could not be mapped, were not version 2 virtio-mmio, or whose driver failed
     */
    public record ProbeResult(List<VirtioMmioAttachment> attached, List<VirtioMmioSlot> empty, List<Unmatched> unmatched,
                              List<KernelOwned> kernelOwned, List<ProbeFailure> failures) {
    }

    /** A device of a type without a driver here. */
    public record Unmatched(VirtioMmioSlot slot, VirtioMmioIdentity identity) {
    }

    /** A transport a kernel driver is bound to. */
    public record KernelOwned(VirtioMmioSlot slot, String kernelDriver) {
    }

    /** A slot that could not be driven, and why. */
    public record ProbeFailure(VirtioMmioSlot slot, Exception cause) {
    }
}
