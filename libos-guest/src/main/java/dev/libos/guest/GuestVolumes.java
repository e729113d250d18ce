package dev.libos.guest;

/**
 * The volumes a libos image knows by name. A disk is named by its virtio-blk id (QEMU's
 * {@code serial=}, read with {@code VIRTIO_BLK_T_GET_ID}), never by its PCI slot, so other
 * devices can come and go. The run goal of libos-maven-plugin attaches both with these ids
 * ({@code dev.libos.maven.qemu.QemuDrives} repeats the two strings: the plugin does not depend on
 * this module); a disk with any other id is left unmounted for the application
 * ({@link GuestStorage#disk(String)}).
 */
public final class GuestVolumes {
    /** Id of the image's read-only files volume (imagefs, written by the image goal). */
    public static final String FILES_ID = "libos-files";
    /** Where the files volume is mounted, read-only. */
    public static final String FILES_MOUNT_POINT = "/files";
    /** Id of the writable state volume (cowfs; formatted on first boot when blank). */
    public static final String STATE_ID = "libos-state";
    /** Where the state volume is mounted. */
    public static final String STATE_MOUNT_POINT = "/data";
    /**
     * Block size of both file systems. virtio-blk disks have 512-byte sectors unless the VMM says
     * otherwise; {@link BlockSizeAdapter} presents them in these blocks, and the image goal
     * writes the files volume with them.
     */
    public static final int BLOCK_BYTES = 4096;
    /** Name of the {@code libos:} scheme file system over the guest's VFS: {@code libos://guest/data/x}. */
    public static final String NIO_FILE_SYSTEM = "guest";

    private GuestVolumes() {
    }
}
