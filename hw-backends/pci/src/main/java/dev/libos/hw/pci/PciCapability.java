package dev.libos.hw.pci;

/**
 * One entry of a device's capability list.
 *
 * @param id the capability id (0x05 MSI, 0x09 vendor specific, 0x10 PCI Express, 0x11 MSI-X)
 * @param offset where it starts in configuration space
 */
public record PciCapability(int id, int offset) {
}
