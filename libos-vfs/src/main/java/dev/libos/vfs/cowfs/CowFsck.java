package dev.libos.vfs.cowfs;

import dev.libos.api.device.BlockDevice;
import dev.libos.vfs.FileType;
import dev.libos.vfs.VfsException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a cowfs image without changing it: everything mount validates, plus every data block's
 * checksum, link counts against directory entries, and that every inode is reachable from the
 * root. Nothing is repaired (a commit is all-or-nothing, so a clean image needs no repair).
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
            snapshot = CowImage.load(device);
        } catch (VfsException e) {
            return new Report(0, 0, List.of(e.getMessage()));
        }
        List<String> problems = new ArrayList<>();
        Map<Long, Integer> references = new HashMap<>();
        Map<Long, Integer> subdirectories = new HashMap<>();
        Deque<Long> pending = new ArrayDeque<>();
        pending.add(CowImage.ROOT_INO);
        java.util.Set<Long> reached = new java.util.HashSet<>();
        while (!pending.isEmpty()) {
            long ino = pending.poll();
            if (!reached.add(ino)) {
                continue;
            }
            InodeRecord inode = snapshot.byIno().get(ino);
            if (inode.type() == FileType.DIRECTORY) {
                for (long child : inode.entries().values()) {
                    references.merge(child, 1, Integer::sum);
                    if (snapshot.byIno().get(child).type() == FileType.DIRECTORY) {
                        subdirectories.merge(ino, 1, Integer::sum);
                    }
                    pending.add(child);
                }
            }
        }
        for (InodeRecord inode : snapshot.inodes()) {
            if (!reached.contains(inode.ino())) {
                problems.add("inode " + inode.ino() + " is not reachable from the root");
                continue;
            }
            int expected = inode.type() == FileType.DIRECTORY
                    ? 2 + subdirectories.getOrDefault(inode.ino(), 0)
                    : references.getOrDefault(inode.ino(), 0);
            if (inode.links() != expected) {
                problems.add("inode " + inode.ino() + " has link count " + inode.links() + ", expected " + expected);
            }
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
