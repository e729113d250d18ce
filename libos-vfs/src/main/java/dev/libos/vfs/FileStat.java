package dev.libos.vfs;

/**
 * The attributes {@code stat} reports. No owners, modes or times: see libos-vfs/README.md.
 *
 * @param device the mount's device number (unique per mount in one {@link Vfs})
 * @param ino the inode number, unique within its file system
 * @param type what the file is
 * @param size bytes for a regular file or symlink (the target's length); entries for a directory
 * @param links hard links to the file (2 + subdirectories for a directory)
 */
public record FileStat(long device, long ino, FileType type, long size, int links) {
}
