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
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1" \
                xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData" \
                xmlns:vssd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_VirtualSystemSettingData" \
                xmlns:vmw="http://www.vmware.com/schema/ovf" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
                  <References>
                    <File ovf:href="%2$s" ovf:id="file1" ovf:size="%3$d"/>
                  </References>
                  <DiskSection>
                    <Info>Virtual disk information</Info>
                    <Disk ovf:capacity="%4$d" ovf:capacityAllocationUnits="byte" ovf:diskId="vmdisk1" ovf:fileRef="file1" ovf:format="%5$s"/>
                  </DiskSection>
                  <NetworkSection>
                    <Info>The logical networks</Info>
                    <Network ovf:name="VM Network">
                      <Description>The network the NIC connects to</Description>
                    </Network>
                  </NetworkSection>
                  <VirtualSystem ovf:id="%1$s">
                    <Info>A libos virtual machine</Info>
                    <Name>%1$s</Name>
                    <OperatingSystemSection ovf:id="101" vmw:osType="other5xLinux64Guest">
                      <Info>A 64-bit Linux kernel running the JVM as init</Info>
                    </OperatingSystemSection>
                    <VirtualHardwareSection>
                      <Info>Virtual hardware requirements</Info>
                      <System>
                        <vssd:ElementName>Virtual Hardware Family</vssd:ElementName>
                        <vssd:InstanceID>0</vssd:InstanceID>
                        <vssd:VirtualSystemIdentifier>%1$s</vssd:VirtualSystemIdentifier>
                        <vssd:VirtualSystemType>%6$s</vssd:VirtualSystemType>
                      </System>
                      <Item>
                        <rasd:AllocationUnits>hertz * 10^6</rasd:AllocationUnits>
                        <rasd:Description>Number of virtual CPUs</rasd:Description>
                        <rasd:ElementName>%7$d virtual CPU(s)</rasd:ElementName>
                        <rasd:InstanceID>1</rasd:InstanceID>
                        <rasd:ResourceType>3</rasd:ResourceType>
                        <rasd:VirtualQuantity>%7$d</rasd:VirtualQuantity>
                      </Item>
                      <Item>
                        <rasd:AllocationUnits>byte * 2^20</rasd:AllocationUnits>
                        <rasd:Description>Memory size</rasd:Description>
                        <rasd:ElementName>%8$d MB of memory</rasd:ElementName>
                        <rasd:InstanceID>2</rasd:InstanceID>
                        <rasd:ResourceType>4</rasd:ResourceType>
                        <rasd:VirtualQuantity>%8$d</rasd:VirtualQuantity>
                      </Item>
                      <Item>
                        <rasd:Address>0</rasd:Address>
                        <rasd:Description>SCSI controller</rasd:Description>
                        <rasd:ElementName>SCSI controller 0</rasd:ElementName>
                        <rasd:InstanceID>3</rasd:InstanceID>
                        <rasd:ResourceSubType>lsilogic</rasd:ResourceSubType>
                        <rasd:ResourceType>6</rasd:ResourceType>
                      </Item>
                      <Item>
                        <rasd:AddressOnParent>0</rasd:AddressOnParent>
                        <rasd:ElementName>Hard disk 1</rasd:ElementName>
                        <rasd:HostResource>ovf:/disk/vmdisk1</rasd:HostResource>
                        <rasd:InstanceID>4</rasd:InstanceID>
                        <rasd:Parent>3</rasd:Parent>
                        <rasd:ResourceType>17</rasd:ResourceType>
                      </Item>
                      <Item>
                        <rasd:AddressOnParent>7</rasd:AddressOnParent>
                        <rasd:AutomaticAllocation>true</rasd:AutomaticAllocation>
                        <rasd:Connection>VM Network</rasd:Connection>
                        <rasd:Description>VmxNet3 ethernet adapter on "VM Network"</rasd:Description>
                        <rasd:ElementName>Network adapter 1</rasd:ElementName>
                        <rasd:InstanceID>5</rasd:InstanceID>
                        <rasd:ResourceSubType>VmxNet3</rasd:ResourceSubType>
                        <rasd:ResourceType>10</rasd:ResourceType>
                      </Item>
                      <vmw:Config ovf:required="false" vmw:key="firmware" vmw:value="efi"/>
                    </VirtualHardwareSection>
                  </VirtualSystem>
                </Envelope>
                """.formatted(name, vmdkName, vmdkBytes, capacityBytes, VMDK_FORMAT, HARDWARE_FAMILY,
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
