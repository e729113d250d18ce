package dev.libos.guest;

/**
 * A volume mounted at boot.
 *
 * @param id          the disk's id ({@link GuestVolumes#FILES_ID}, {@link GuestVolumes#STATE_ID})
 * @param mountPoint  where it is in the VFS
 * @param type        the file system ({@code imagefs}, {@code cowfs})
 * @param readOnly    whether changes fail with EROFS
 * @param formatted   true when this boot made the file system (a blank state volume)
 * @param blocks      size in {@link GuestVolumes#BLOCK_BYTES} blocks
 * @param origin      the disk's origin
 */
public record Volume(String id, String mountPoint, String type, boolean readOnly, boolean formatted, long blocks,
                     String origin) {
}
