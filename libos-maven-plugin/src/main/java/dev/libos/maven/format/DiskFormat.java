package dev.libos.maven.format;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The formats the image goal can write from its raw disk, chosen with {@value #SETTING}
 * (a comma-separated list of {@link #settingName()}s).
 */
public enum DiskFormat {
    /** The raw GPT disk itself (QEMU/KVM, and the source of every other format). */
    RAW("QEMU/KVM (-drive format=raw, OVMF)"),
    /** qcow2 version 3 ({@link Qcow2Writer}). */
    QCOW2("QEMU/KVM, OpenStack, Proxmox"),
    /** VMDK, stream-optimized ({@link VmdkStreamWriter}). */
    VMDK("VMware (import), EC2 import"),
    /** OVF + stream-optimized VMDK in a tar ({@link OvaWriter}). */
    OVA("VMware vSphere/ESXi/Workstation/Fusion"),
    /** VirtualBox's dynamic VDI ({@link VdiWriter}). */
    VDI("VirtualBox"),
    /** Fixed VHD ({@link VhdWriter}). */
    VHD("Azure, Hyper-V"),
    /** GCE's image tarball: {@code disk.raw} in a tar.gz ({@link GceArchive}). */
    GCE("Google Compute Engine"),
    /** A raw disk for EC2's VM import ({@code aws ec2 import-image}). */
    AMI("Amazon EC2"),
    /** A KubeVirt containerDisk: OCI archive with the qcow2 under /disk/ ({@link ContainerDisk}). */
    CONTAINERDISK("KubeVirt"),
    /** A Firecracker VM configuration for the kernel and initramfs ({@link FirecrackerConfig}). */
    FIRECRACKER("Firecracker");

    /** The setting that lists the formats. */
    public static final String SETTING = "libos.formats";

    private final String bootsOn;

    DiskFormat(String bootsOn) {
        this.bootsOn = bootsOn;
    }

    /** The name in {@value #SETTING}. */
    public String settingName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Where an image of this format boots. */
    public String bootsOn() {
        return bootsOn;
    }

    /**
     * Parses a comma-separated list; blanks and {@code none} give no format.
     *
     * @throws IllegalArgumentException naming {@value #SETTING}, the bad name and the valid ones
     */
    public static Set<DiskFormat> parseList(String list) {
        Set<DiskFormat> formats = EnumSet.noneOf(DiskFormat.class);
        if (list == null) {
            return formats;
        }
        for (String word : list.split(",")) {
            String name = word.strip().toLowerCase(Locale.ROOT);
            if (name.isEmpty() || name.equals("none")) {
                continue;
            }
            DiskFormat format = Arrays.stream(values()).filter(f -> f.settingName().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(SETTING + ": unknown format '" + word.strip()
                            + "'; valid formats: " + validNames()));
            formats.add(format);
        }
        return formats;
    }

    /** The valid names, comma-separated, for error messages. */
    public static String validNames() {
        return Arrays.stream(values()).map(DiskFormat::settingName).collect(Collectors.joining(", ")) + " (or none)";
    }
}
