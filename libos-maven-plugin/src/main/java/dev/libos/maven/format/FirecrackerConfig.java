package dev.libos.maven.format;

import java.util.ArrayList;
import java.util.List;

/**
 * A Firecracker VM configuration ({@code firecracker --config-file}): the image's kernel and
 * initramfs, its volumes as virtio-blk drives and one virtio-net interface on a TAP device.
 * Firecracker has no PCI: every device is a virtio-mmio transport, 4 KiB each from
 * {@value #MMIO_BASE_HEX} with interrupts from {@value #FIRST_IRQ}, drives first, then the NIC
 * (Firecracker's x86-64 device manager). The boot arguments name them with
 * {@code virtio_mmio.device=} words before {@code --}, where the kernel reads them and libos's
 * discovery finds them ({@code /proc/cmdline}); Firecracker appends the same words at the end of
 * the line, which land among the JVM's arguments and are harmless there.
 */
public final class FirecrackerConfig {
    static final String MMIO_BASE_HEX = "0xd0000000";
    static final long MMIO_BASE = 0xd000_0000L;
    static final long MMIO_STRIDE = 0x1000;
    static final int FIRST_IRQ = 5;
    /** Kernel words: reset through the i8042 (Firecracker ends the VM on it), no PCI probe. */
    static final String KERNEL_WORDS = "reboot=k pci=off";

    private FirecrackerConfig() {
    }

    /**
     * A drive.
     *
     * @param id       drive id
     * @param file     the host file, relative to the configuration's directory
     * @param readOnly read-only
     */
    public record Drive(String id, String file, boolean readOnly) {
    }

    /**
     * The configuration's JSON.
     *
     * @param kernel      kernel file (Firecracker on x86-64 loads an uncompressed ELF vmlinux)
     * @param initramfs   initramfs file
     * @param commandLine the image's kernel command line ({@code ... -- <JVM words>})
     * @param drives      the drives, in order
     */
    public static String json(String kernel, String initramfs, String commandLine, int cpus, long memoryMiB, List<Drive> drives) {
        List<String> mmio = new ArrayList<>();
        for (int device = 0; device <= drives.size(); device++) { // the drives, then the NIC
            mmio.add("virtio_mmio.device=4K@0x" + Long.toHexString(MMIO_BASE + device * MMIO_STRIDE) + ":" + (FIRST_IRQ + device));
        }
        String bootArgs = KERNEL_WORDS + " " + String.join(" ", mmio) + " " + commandLine;
        StringBuilder json = new StringBuilder("{\n");
        json.append("  \"boot-source\": {\n")
                .append("    \"kernel_image_path\": ").append(quote(kernel)).append(",\n")
                .append("    \"initrd_path\": ").append(quote(initramfs)).append(",\n")
                .append("    \"boot_args\": ").append(quote(bootArgs)).append("\n  },\n");
        json.append("  \"drives\": [");
        for (int i = 0; i < drives.size(); i++) {
            Drive drive = drives.get(i);
            json.append(i == 0 ? "\n" : ",\n").append("    {\"drive_id\": ").append(quote(drive.id()))
                    .append(", \"path_on_host\": ").append(quote(drive.file()))
                    .append(", \"is_root_device\": false, \"is_read_only\": ").append(drive.readOnly()).append('}');
        }
        json.append(drives.isEmpty() ? "],\n" : "\n  ],\n");
        json.append("  \"machine-config\": {\"vcpu_count\": ").append(cpus).append(", \"mem_size_mib\": ").append(memoryMiB)
                .append("},\n");
        json.append("  \"network-interfaces\": [\n")
                .append("    {\"iface_id\": \"eth0\", \"guest_mac\": \"52:54:00:12:34:56\", \"host_dev_name\": \"tap0\"}\n  ]\n");
        return json.append("}\n").toString();
    }

    /** A JSON string (the values here are file names and a command line: escape quotes and backslashes). */
    static String quote(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
