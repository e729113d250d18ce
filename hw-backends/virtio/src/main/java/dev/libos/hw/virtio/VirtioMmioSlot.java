package dev.libos.hw.virtio;

/**
 * A place where a virtio-mmio transport may sit: a physical register window.
 *
 * @param name    what names it: the kernel's platform device ({@code LNRO0005:00}) when ACPI
 *                described it, otherwise its address
 * @param address physical address of the register block
 * @param size    bytes of the window (registers, then device configuration from 0x100)
 */
public record VirtioMmioSlot(String name, long address, long size) {
    public VirtioMmioSlot {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a slot needs a name");
        }
        if (address <= 0 || size <= 0) {
            throw new IllegalArgumentException("slot " + name + " at 0x" + Long.toHexString(address) + " has size " + size);
        }
    }

    @Override
    public String toString() {
        return name + "@0x" + Long.toHexString(address);
    }
}
