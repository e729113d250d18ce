package dev.libos.vfs.cowfs;

import dev.libos.api.device.BlockDevice;
import dev.libos.vfs.FileType;
import dev.libos.vfs.VfsException;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a cowfs image without changing it: everything mount validates for the commit it takes
 * ({@link CowImage#selectForCheck}: the newest, or the previous one when the newest was cut
 * before its flush; structure, block pointers, sizes, link counts, reachability), plus
 * every data block's checksum. Nothing is repaired (a commit is all-or-nothing, so a clean image needs no repair).
 */
public final class CowFsck {
    private CowFsck() {
    }

    /**
     * The outcome of a check.
     *
     * @param generation the commit checked (0 when no commit could be read)
     * @param inodes inodes in that commit
     * @param problems one line per defect; empty when clean
     */
    public record Report(long generation, int inodes, List<String> problems) {
        public boolean clean() {
            return problems.isEmpty();
        }
    }

    public static Report check(BlockDevice device) {
        CowImage.Snapshot snapshot;
        try {
            snapshot = CowImage.selectForCheck(device);
        } catch (VfsException e) {
            return new Report(0, 0, List.of(e.getMessage()));
        }
        List<String> problems = new ArrayList<>();
        for (InodeRecord inode : snapshot.inodes()) {
            if (inode.type() == FileType.REGULAR) {
                for (int i = 0; i < inode.blocks().length; i++) {
                    long block = inode.blocks()[i];
                    if (block == 0) {
                        continue;
                    }
                    try {
                        if (CowImage.crc(CowImage.readBlock(device, block)) != inode.crcs()[i]) {
                            problems.add("inode " + inode.ino() + " block " + i + " (device block " + block + ") fails its checksum");
                        }
                    } catch (VfsException e) {
                        problems.add("inode " + inode.ino() + " block " + i + ": " + e.getMessage());
                    }
                }
            }
        }
        return new Report(snapshot.superblock().generation(), snapshot.inodes().size(), List.copyOf(problems));
    }
}
