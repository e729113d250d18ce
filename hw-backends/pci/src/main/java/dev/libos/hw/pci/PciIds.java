package dev.libos.hw.pci;

/**
 * A device's identity as sysfs reports it, which is what drivers match on.
 *
 * @param vendorId the PCI vendor id (0x1af4 for virtio)
 * @param deviceId the device id
 * @param classCode the 24-bit class code: base class, subclass, programming interface
 * @param revision the revision id
 * @param subsystemVendorId the subsystem vendor id
 * @param subsystemDeviceId the subsystem id
 */
public record PciIds(int vendorId, int deviceId, int classCode, int revision,
                     int subsystemVendorId, int subsystemDeviceId) {
    /** The base class, the top byte of the class code (0x02 network, 0x01 storage). */
    public int baseClass() {
        return (classCode >>> 16) & 0xff;
    }

    @Override
    public String toString() {
        return String.format("%04x:%04x class %06x rev %02x subsystem %04x:%04x",
                vendorId, deviceId, classCode, revision, subsystemVendorId, subsystemDeviceId);
    }
}
