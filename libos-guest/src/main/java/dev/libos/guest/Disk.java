package dev.libos.guest;

import dev.libos.api.device.BlockDevice;

/**
 * A disk found at boot.
 *
 * @param id     its virtio-blk id (QEMU {@code serial=}); "" when it has none
 * @param device the driver's block device, in the device's own block size
 * @param origin where it was found, for console lines ({@code pci 0000:00:04.0 virtio-blk})
 */
public record Disk(String id, BlockDevice device, String origin) {
}
