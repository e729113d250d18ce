package dev.libos.vfs.cowfs;

import dev.libos.vfs.FileType;
import java.util.Map;

/**
 * One inode as stored in its group's stream ({@link MetadataCodec}).
 *
 * @param blocks device block of each file block (0 = a hole), regular files only
 * @param crcs CRC32C of each file block's full contents, parallel to {@code blocks}
 * @param entries name to inode number, directories only
 * @param target symlink target, symlinks only
 */
record InodeRecord(long ino, FileType type, int links, long size, long[] blocks, int[] crcs,
        Map<String, Long> entries, String target) {
}
