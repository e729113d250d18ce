package dev.libos.hw.virtio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Finds virtio-mmio transports without a kernel driver. Nothing on the platform enumerates them
 * the way PCI does; the places they are described are (VIRTIO 1.2 section 4.2.1 leaves
 * discovery to the platform):
 * <ul>
 *   <li><b>ACPI</b>: QEMU's microvm machine (with ACPI, its default) lists every transport that
 *       has a device in the DSDT with _HID {@value #ACPI_HID}; Linux makes each a platform device
 *       ({@code /sys/bus/platform/devices/LNRO0005:00}) and puts its register window in
 *       {@code /proc/iomem} under that name, whether or not a driver binds.</li>
 *   <li><b>The kernel command line</b>: {@code virtio_mmio.device=<size>@<base>:<irq>[:<id>]}
 *       words, which Firecracker and QEMU's microvm without ACPI pass (QEMU's
 *       {@code auto-kernel-cmdline}); Linux reads them only with
 *       {@code CONFIG_VIRTIO_MMIO_CMDLINE_DEVICES}, but they stay in {@code /proc/cmdline}.</li>
 *   <li><b>The fixed layout</b> of a known machine ({@link #qemuMicrovm(int)}): probing it
 *       reads physical addresses blindly, so it is only for a guest that knows its machine.</li>
 * </ul>
 * The parsers here drop what they cannot read and say so in {@link Found#malformed()}.
 */
public final class VirtioMmioDiscovery {
    /** The ACPI hardware id of a virtio-mmio transport ("LNRO" is Linaro's vendor prefix). */
    public static final String ACPI_HID = "LNRO0005";
    /** The kernel parameter that describes one transport. */
    public static final String CMDLINE_PARAMETER = "virtio_mmio.device=";
    /** QEMU microvm: the first transport's address (include/hw/i386/microvm.h VIRTIO_MMIO_BASE). */
    public static final long QEMU_MICROVM_BASE = 0xfeb0_0000L;
    /** QEMU microvm: bytes per transport, and the distance between two (hw/i386/microvm.c). */
    public static final long QEMU_MICROVM_STRIDE = 512;
    /** QEMU microvm: transports without ACPI (one IO-APIC); with ACPI a second IO-APIC gives 24. */
    public static final int QEMU_MICROVM_SLOTS_WITHOUT_ACPI = 8;
    public static final Path PROC_IOMEM = Path.of("/proc/iomem");
    public static final Path PROC_CMDLINE = Path.of("/proc/cmdline");

    /**
     * What a source described.
     *
     * @param slots     the transports, by address, each once
     * @param malformed one line per entry that was dropped, saying why
     */
    public record Found(List<VirtioMmioSlot> slots, List<String> malformed) {
        public Found {
            slots = List.copyOf(slots);
            malformed = List.copyOf(malformed);
        }

        /** Both sources' slots (the first name wins for an address named twice), by address. */
        public Found and(Found other) {
            Map<Long, VirtioMmioSlot> byAddress = new LinkedHashMap<>();
            slots.forEach(slot -> byAddress.putIfAbsent(slot.address(), slot));
            other.slots.forEach(slot -> byAddress.putIfAbsent(slot.address(), slot));
            List<VirtioMmioSlot> merged = new ArrayList<>(byAddress.values());
            merged.sort(Comparator.comparingLong(VirtioMmioSlot::address));
            List<String> problems = new ArrayList<>(malformed);
            problems.addAll(other.malformed);
            return new Found(merged, problems);
        }
    }

    private VirtioMmioDiscovery() {
    }

    /**
     * What this guest's kernel knows: the ACPI-described windows in {@code /proc/iomem} and the
     * {@code virtio_mmio.device=} words of {@code /proc/cmdline}. Reading real addresses from
     * {@code /proc/iomem} needs root (others see zeros, reported as malformed).
     */
    public static Found system() throws IOException {
        return fromIomem(Files.readString(PROC_IOMEM)).and(fromCommandLine(Files.readString(PROC_CMDLINE)));
    }

    /**
     * The {@value #ACPI_HID} windows of a {@code /proc/iomem} text: lines
     * {@code [indent]start-end : name}, addresses in hexadecimal.
     */
    public static Found fromIomem(String iomem) {
        List<VirtioMmioSlot> slots = new ArrayList<>();
        List<String> malformed = new ArrayList<>();
        for (String raw : iomem.split("\n")) {
            String line = raw.strip();
            int colon = line.indexOf(" : ");
            if (colon < 0) {
                continue;
            }
            String name = line.substring(colon + 3).strip();
            if (!name.startsWith(ACPI_HID)) {
                continue;
            }
            String[] range = line.substring(0, colon).split("-");
            try {
                if (range.length != 2) {
                    throw new NumberFormatException("not start-end");
                }
                long start = Long.parseUnsignedLong(range[0], 16);
                long end = Long.parseUnsignedLong(range[1], 16);
                if (start == 0 && end == 0) {
                    malformed.add("/proc/iomem: " + name + " has its addresses hidden (only root sees them)");
                } else if (Long.compareUnsigned(end, start) < 0) {
                    malformed.add("/proc/iomem: " + name + " ends before it starts: '" + line + "'");
                } else {
                    slots.add(new VirtioMmioSlot(name, start, end - start + 1));
                }
            } catch (NumberFormatException e) {
                malformed.add("/proc/iomem: unreadable range for " + name + ": '" + line + "'");
            }
        }
        return new Found(List.of(), List.of()).and(new Found(slots, malformed));
    }

    /**
     * The {@code virtio_mmio.device=<size>@<base>:<irq>[:<id>]} words of a kernel command line:
     * size in bytes with an optional K, M or G suffix, base in hexadecimal with {@code 0x} or
     * decimal, the interrupt (unused here: the drivers poll).
     */
    public static Found fromCommandLine(String commandLine) {
        List<VirtioMmioSlot> slots = new ArrayList<>();
        List<String> malformed = new ArrayList<>();
        for (String word : commandLine.strip().split("\\s+")) {
            if (!word.startsWith(CMDLINE_PARAMETER)) {
                continue;
            }
            String value = word.substring(CMDLINE_PARAMETER.length());
            try {
                int at = value.indexOf('@');
                int colon = value.indexOf(':', at + 1);
                if (at <= 0 || colon < 0) {
                    throw new NumberFormatException("not <size>@<base>:<irq>");
                }
                long size = parseSize(value.substring(0, at));
                long base = parseAddress(value.substring(at + 1, colon));
                slots.add(new VirtioMmioSlot("virtio_mmio.device#" + slots.size(), base, size));
            } catch (IllegalArgumentException e) {
                malformed.add("kernel command line: '" + word + "': " + e.getMessage());
            }
        }
        return new Found(List.of(), List.of()).and(new Found(slots, malformed));
    }

    private static long parseSize(String text) {
        String upper = text.toUpperCase(Locale.ROOT);
        int shift = switch (upper.isEmpty() ? ' ' : upper.charAt(upper.length() - 1)) {
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            default -> 0;
        };
        String digits = shift == 0 ? upper : upper.substring(0, upper.length() - 1);
        long size = parseAddress(digits);
        if (size <= 0 || size > (Long.MAX_VALUE >> shift)) {
            throw new NumberFormatException("size out of range: " + text);
        }
        return size << shift;
    }

    private static long parseAddress(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        long value = lower.startsWith("0x") ? Long.parseLong(lower.substring(2), 16) : Long.parseLong(lower);
        if (value <= 0) {
            throw new NumberFormatException("not a positive number: " + text);
        }
        return value;
    }

    /**
     * QEMU microvm's fixed transports ({@value #QEMU_MICROVM_SLOTS_WITHOUT_ACPI} without ACPI,
     * 24 with its second IO-APIC), named by address. Empty slots read device id 0.
     */
    public static List<VirtioMmioSlot> qemuMicrovm(int slots) {
        if (slots < 1 || slots > 24) {
            throw new IllegalArgumentException("QEMU microvm has 8 or 24 virtio-mmio slots: " + slots);
        }
        List<VirtioMmioSlot> layout = new ArrayList<>();
        for (int i = 0; i < slots; i++) {
            long address = QEMU_MICROVM_BASE + i * QEMU_MICROVM_STRIDE;
            layout.add(new VirtioMmioSlot("microvm-slot" + i, address, QEMU_MICROVM_STRIDE));
        }
        return layout;
    }
}
