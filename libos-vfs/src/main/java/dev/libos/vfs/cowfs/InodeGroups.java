package dev.libos.vfs.cowfs;

import dev.libos.vfs.cowfs.InodeGroupIndex.GroupRef;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The metadata layout of cowfs ({@link InodeGroupIndex}): which group chain holds each inode in
 * the last durable commit, which inodes changed since, and writing the next commit's metadata:
 * only the groups holding a changed inode, plus the index. Owned by {@link CowFs}, which does
 * the data, the flushes and the superblock.
 */
final class InodeGroups {
    /** Writes a stream to a fresh chain of metadata blocks of a commit; its blocks. */
    interface ChainWriter {
        long[] write(byte[] stream, long generation) throws IOException;
    }

    /** The metadata of a commit not yet durable: the index stream and what it replaces. */
    record Pending(byte[] index, long[] indexChain, TreeMap<Long, GroupRef> groups, List<long[]> replaced, long nextIno) {
    }

    private final int groupSize;
    private final int soloRecordBytes;
    /** The last durable commit's index chain and groups (each group's chain blocks included). */
    private long[] indexChain;
    private TreeMap<Long, GroupRef> groups;
    /** nextIno of the last durable commit: inodes from here on are in no commit yet. */
    private long committedNextIno;
    /** Inodes changed since the last commit (live, unlinked or reclaimed), and their groups. */
    private final TreeSet<Long> dirtyInos = new TreeSet<>();
    private final Set<Long> dirtyGroups = new HashSet<>();
    /** Blocks the dirty groups' chains use now, plus one per dirty group. */
    private long dirtyGroupBlocks;

    InodeGroups(CowImage.Snapshot snapshot, int soloRecordBytes) {
        this.groupSize = snapshot.groupSize();
        this.soloRecordBytes = soloRecordBytes;
        this.indexChain = snapshot.indexChain();
        this.groups = snapshot.groups();
        this.committedNextIno = snapshot.superblock().nextIno();
    }

    boolean isDirty() {
        return !dirtyInos.isEmpty();
    }

    /** Inodes changed since the last commit, in order; some may be gone. */
    Set<Long> dirtyInos() {
        return dirtyInos;
    }

    /** Metadata blocks the next commit rewrites as things stand: the dirty groups and the index. */
    long blocksToRewrite() {
        return indexChain.length + dirtyGroupBlocks;
    }

    /** Inode {@code ino}'s record changed (or it went away): its group is rewritten at the next commit. */
    void markDirty(long ino) {
        if (dirtyInos.add(ino)) {
            markGroupDirty(committedGroupOf(ino));
        }
    }

    /**
     * Inode {@code ino} is gone; {@code inodes} no longer holds it. One in no commit yet has no
     * group to leave: forgetting it (and its group when that is in no commit either and now
     * empty) keeps the dirty sets bounded by what is live when files come and go between commits.
     */
    void reclaimed(long ino, TreeMap<Long, CowInode> inodes) {
        if (ino < committedNextIno) {
            markDirty(ino);
            return;
        }
        dirtyInos.remove(ino);
        long group = ino / groupSize;
        if (!groups.containsKey(group) && inodes.subMap(group * groupSize, (group + 1) * groupSize).isEmpty()
                && dirtyGroups.remove(group)) {
            dirtyGroupBlocks--;
        }
    }

    private void markGroupDirty(long group) {
        if (dirtyGroups.add(group)) {
            GroupRef ref = groups.get(group);
            dirtyGroupBlocks += (ref == null ? 0 : ref.blocks().length) + 1;
        }
    }

    /** The group holding {@code ino} in the last commit (its shared group when it was in none). */
    private long committedGroupOf(long ino) {
        long solo = InodeGroupIndex.SOLO_BASE + ino;
        return groups.containsKey(solo) ? solo : ino / groupSize;
    }

    /** Where {@code record} goes in this commit: alone when it is large, else its shared group. */
    private long groupFor(InodeRecord record) {
        boolean large = MetadataCodec.encode(List.of(record)).length - 8 > soloRecordBytes;
        return large ? InodeGroupIndex.SOLO_BASE + record.ino() : record.ino() / groupSize;
    }

    /**
     * Writes the metadata of commit {@code generation} (not flushed): each group to rewrite to a
     * fresh chain, or out of the index when it has no live inode left, then the index.
     */
    Pending write(TreeMap<Long, CowInode> inodes, long generation, long nextIno, ChainWriter writer) throws IOException {
        // Where each changed inode goes now; an inode that moves (grew past or shrank below the
        // solo size) dirties its new group as well as its old one.
        Map<Long, InodeRecord> changed = new HashMap<>();
        Map<Long, Long> placement = new HashMap<>();
        TreeSet<Long> rewrite = new TreeSet<>(dirtyGroups);
        for (long ino : dirtyInos) {
            CowInode inode = inodes.get(ino);
            if (inode != null && inode.links() > 0) {
                InodeRecord record = inode.toRecord();
                long group = groupFor(record);
                changed.put(ino, record);
                placement.put(ino, group);
                rewrite.add(group);
            }
        }
        TreeMap<Long, GroupRef> newGroups = new TreeMap<>(groups);
        List<long[]> replaced = new ArrayList<>();
        replaced.add(indexChain);
        for (long group : rewrite) {
            GroupRef old = newGroups.remove(group);
            if (old != null) {
                replaced.add(old.blocks());
            }
            List<InodeRecord> records = new ArrayList<>();
            if (group >= InodeGroupIndex.SOLO_BASE) {
                long ino = group - InodeGroupIndex.SOLO_BASE;
                if (placement.getOrDefault(ino, -1L) == group) {
                    records.add(changed.get(ino));
                }
            } else {
                long first = group * groupSize;
                for (CowInode inode : inodes.subMap(first, first + groupSize).values()) {
                    long ino = inode.ino();
                    if (inode.links() > 0 && placement.getOrDefault(ino, committedGroupOf(ino)) == group) {
                        InodeRecord record = changed.get(ino);
                        records.add(record != null ? record : inode.toRecord());
                    }
                }
            }
            if (!records.isEmpty()) {
                byte[] stream = MetadataCodec.encode(records);
                long[] blocks = writer.write(stream, generation);
                newGroups.put(group, new GroupRef(generation, blocks[0], stream.length, CowImage.crc(stream), blocks));
            }
        }
        byte[] index = InodeGroupIndex.encode(groupSize, newGroups);
        return new Pending(index, writer.write(index, generation), newGroups, replaced, nextIno);
    }

    /**
     * {@code pending} is durable: the chains it replaced are released (no durable commit
     * references them any more) and it becomes the committed layout.
     */
    void committed(Pending pending, BlockAllocator allocator) {
        for (long[] chain : pending.replaced()) {
            for (long block : chain) {
                allocator.release(block);
            }
        }
        indexChain = pending.indexChain();
        groups = pending.groups();
        committedNextIno = pending.nextIno();
        dirtyInos.clear();
        dirtyGroups.clear();
        dirtyGroupBlocks = 0;
    }
}
