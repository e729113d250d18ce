package dev.libos.maven.format;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * An OVA (DMTF DSP0243, OVF 1.x "OVF package" as one tar): the OVF descriptor first, then the
 * stream-optimized VMDK, then a manifest with SHA-256 digests of both (the standard allows the
 * manifest at the end). The descriptor asks for VMware virtual hardware {@value #HARDWARE_FAMILY},
 * EFI firmware ({@code vmw:firmware = efi}: the disk boots through its EFI system partition), an
 * LSI Logic SCSI disk and a vmxnet3 NIC, which libos drives.
 */
public final class OvaWriter {
    static final String HARDWARE_FAMILY = "vmx-14";
    static final String VMDK_FORMAT = "http://www.vmware.com/interfaces/specifications/vmdk.html#streamOptimized";

    private OvaWriter() {
    }

    /**
     * What the virtual machine is.
     *
     * @param name      the VM's name (also the file names' stem)
     * @param cpus      virtual CPUs
     * @param memoryMiB memory
     */
    public record Machine(String name, int cpus, long memoryMiB) {
        public Machine {
            if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
                throw new IllegalArgumentException("VM name must be 1-63 letters, digits, '.', '_' or '-': " + name);
            }
        }
    }

    /** Writes an OVA of {@code raw} to {@code out} (replaced); the VMDK is made next to it and removed. */
    public static void write(Path raw, Path out, Machine machine) throws IOException {
        String vmdkName = machine.name() + "-disk1.vmdk";
        String ovfName = machine.name() + ".ovf";
        Path vmdk = out.resolveSibling(out.getFileName() + ".vmdk.tmp");
        try {
            VmdkStreamWriter.write(raw, vmdk, vmdkName);
            byte[] ovf = descriptor(machine, vmdkName, Files.size(vmdk), RawDisk.open(raw).size())
                    .getBytes(StandardCharsets.UTF_8);
            String manifest = "SHA256(" + ovfName + ")= " + hex(RawDisk.sha256().digest(ovf)) + "\n"
                    + "SHA256(" + vmdkName + ")= " + sha256(vmdk) + "\n";
            try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(out), 1 << 20);
                 TarWriter tar = new TarWriter(file, TarWriter.Flavor.USTAR)) {
                tar.file(ovfName, 0644, 0, 0, ovf);
                tar.file(vmdkName, 0644, 0, 0, vmdk);
                tar.file(machine.name() + ".mf", 0644, 0, 0, manifest.getBytes(StandardCharsets.US_ASCII));
            }
        } finally {
            Files.deleteIfExists(vmdk);
        }
    }

    /** The OVF descriptor. */
    static String descriptor(Machine machine, String vmdkName, long vmdkBytes, long capacityBytes) {
        String name = machine.name();
        return Templates.load("ovf-template.xml").formatted(name, vmdkName, vmdkBytes, capacityBytes, VMDK_FORMAT, HARDWARE_FAMILY,
                machine.cpus(), machine.memoryMiB());
    }

    static String sha256(Path file) throws IOException {
        var digest = RawDisk.sha256();
        try (var in = new java.security.DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return hex(digest.digest());
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
