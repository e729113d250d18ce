package dev.libos.maven.format;

/**
 * A KubeVirt {@code VirtualMachine} (kubevirt.io/v1) that boots a containerDisk image through
 * UEFI (secure boot off: the unified kernel image is not signed), with a virtio disk and a virtio
 * NIC on the pod network (masquerade), sized like the image.
 */
public final class KubeVirtManifest {
    private KubeVirtManifest() {
    }

    /**
     * The manifest's YAML.
     *
     * @param name      the VM's name; made a DNS-1123 label (lower case, '-')
     * @param image     the container image reference the cluster pulls
     * @param cpus      virtual CPUs
     * @param memoryMiB memory
     */
    public static String yaml(String name, String image, int cpus, long memoryMiB) {
        String label = name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("^-+|-+$", "");
        if (label.isEmpty() || label.length() > 63) {
            throw new IllegalArgumentException("VirtualMachine name must give a DNS label of 1-63 characters: " + name);
        }
        return Templates.load("virtualmachine-template.yaml").formatted(label, image, cpus, memoryMiB);
    }
}
