package dev.libos.maven.format;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Writes the chosen {@link DiskFormat}s of one image next to each other. Every format except
 * Firecracker's is a pure function of the raw disk and the VM's shape ({@link Target}); Firecracker's
 * configuration names the kernel, initramfs and volumes instead.
 */
public final class DiskFormats {
    private DiskFormats() {
    }

    /**
     * The image the formats describe.
     *
     * @param name        the application's name: file name stem and VM name
     * @param image       the containerDisk's image reference (e.g. {@code registry.example/hello:1.0})
     * @param cpus        virtual CPUs
     * @param memoryMiB   memory
     * @param kernel      kernel file name (Firecracker)
     * @param initramfs   initramfs file name (Firecracker)
     * @param commandLine kernel command line (Firecracker)
     * @param drives      the volumes as drives (Firecracker)
     */
    public record Target(String name, String image, int cpus, long memoryMiB, String kernel, String initramfs,
                         String commandLine, List<FirecrackerConfig.Drive> drives) {
        public Target {
            drives = List.copyOf(drives);
            new OvaWriter.Machine(name, cpus, memoryMiB); // validates the name
        }
    }

    /** The file a format is written to, in the output directory ({@code raw}: the disk itself). */
    public static String fileName(DiskFormat format, String name, String rawName) {
        return switch (format) {
            case RAW -> rawName;
            case QCOW2 -> name + ".qcow2";
            case VMDK -> name + ".vmdk";
            case OVA -> name + ".ova";
            case VDI -> name + ".vdi";
            case VHD -> name + ".vhd";
            case GCE -> name + "-gce.tar.gz";
            case AMI -> name + "-ec2.raw";
            case CONTAINERDISK -> name + "-containerdisk.tar";
            case FIRECRACKER -> name + "-firecracker.json";
        };
    }

    /** The KubeVirt manifest written next to the containerDisk. */
    public static String virtualMachineFileName(String name) {
        return name + "-vm.yaml";
    }

    /**
     * Writes {@code formats} of {@code raw} into {@code directory}.
     *
     * @return the files written (raw names the disk itself)
     */
    public static List<Path> write(Path raw, Set<DiskFormat> formats, Target target, Path directory) throws IOException {
        List<Path> written = new ArrayList<>();
        String name = target.name();
        for (DiskFormat format : formats) {
            Path out = directory.resolve(fileName(format, name, raw.getFileName().toString()));
            switch (format) {
                case RAW -> RawDisk.open(raw);
                case QCOW2 -> Qcow2Writer.write(raw, out);
                case VMDK -> VmdkStreamWriter.write(raw, out, out.getFileName().toString());
                case OVA -> OvaWriter.write(raw, out, new OvaWriter.Machine(name, target.cpus(), target.memoryMiB()));
                case VDI -> VdiWriter.write(raw, out);
                case VHD -> VhdWriter.write(raw, out);
                case GCE -> GceArchive.write(raw, out);
                case AMI -> { // the raw disk as it is, sparse on the host
                    RawDisk disk = RawDisk.open(raw);
                    disk.copySparse(disk.scan(1 << 20).nonZero(), 1 << 20, out, disk.size());
                }
                case CONTAINERDISK -> {
                    Path qcow2 = directory.resolve(out.getFileName() + ".qcow2.tmp");
                    try {
                        Qcow2Writer.write(raw, qcow2);
                        ContainerDisk.write(qcow2, name + ".qcow2", target.image(), out);
                    } finally {
                        Files.deleteIfExists(qcow2);
                    }
                    Path manifest = directory.resolve(virtualMachineFileName(name));
                    Files.writeString(manifest, KubeVirtManifest.yaml(name, target.image(), target.cpus(), target.memoryMiB()));
                    written.add(manifest);
                }
                case FIRECRACKER -> Files.writeString(out, FirecrackerConfig.json(target.kernel(), target.initramfs(),
                        target.commandLine(), target.cpus(), target.memoryMiB(), target.drives()));
            }
            written.add(out);
        }
        return written;
    }
}
