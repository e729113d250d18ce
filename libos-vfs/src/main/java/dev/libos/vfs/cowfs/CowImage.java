package dev.libos.vfs.cowfs;

import dev.libos.api.device.BlockDevice;
import dev.libos.vfs.Errno;
import dev.libos.vfs.FileType;
import dev.libos.vfs.VfsException;
import dev.libos.vfs.cowfs.InodeGroupIndex.GroupRef;
import dev.libos.vfs.cowfs.SuperblockDescriptor.Superblock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * Reads and validates the last commit on a device: superblock choice, index chain, every inode
 * group's chain and stream,
 * and the structure mount relies on (root present, entries resolve, block pointers in range and
 * unshared). Every defect is a {@link VfsException} with errno EUCLEAN naming the device and
 * what is wrong; device failures are EIO. Shared by mount and {@link CowFsck}.
 */
final class CowImage {
    static final long ROOT_INO = 1;
    /** The largest inode number: every shared group key and solo key stays below 2^63. */
    static final long MAX_INO = InodeGroupIndex.SOLO_BASE - 1;

    /**
     * A validated commit. {@code used} marks the superblocks, the index chain, every group chain
     * and every data block; {@code groups} carries each group chain's blocks.
     */
    record Snapshot(Superblock superblock, List<InodeRecord> inodes, Map<Long, InodeRecord> byIno, long[] indexChain,
            int groupSize, TreeMap<Long, GroupRef> groups, BitSet used) {
    }

    /**
     * A superblock found in {@code slot}: magic, version and checksum hold; the rest is checked
     * with its commit. {@code sealed}: the commit is known complete (the other slot holds its
     * seal, or it is of the two-flush version); {@code block} is the slot's raw contents.
     */
    record Candidate(int slot, Superblock superblock, boolean sealed, byte[] block) {
        long generation() {
            return superblock.generation();
        }
    }

    /**
     * The commit mount takes ({@link #select}). {@code damagedCommit}: why the newest commit was
     * refused although sealed (the previous one is then to be mounted read-only), else null.
     * {@code incompleteCommit}: why the newest, unsealed, commit was taken as cut before its flush
     * (the previous one is then the last durable commit and is mounted writable), else null.
     */
    record Selection(Candidate candidate, Snapshot snapshot, String damagedCommit, String incompleteCommit) {
    }

    private CowImage() {
    }

    static byte[] readBlock(BlockDevice device, long block) throws VfsException {
        byte[] bytes = new byte[device.blockSize()];
        try {
            device.read(block, MemorySegment.ofArray(bytes));
        } catch (IOException e) {
            throw new VfsException(Errno.EIO, device.name(), "reading block " + block + ": " + e.getMessage(), e);
        }
        return bytes;
    }

    static int crc(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return (int) crc.getValue();
    }

    private static VfsException corrupt(BlockDevice device, String what) {
        return new VfsException(Errno.EUCLEAN, device.name(), "cowfs: " + what);
    }

    /**
     * The cause of a defect a power cut before a commit's flush can leave: a block the commit
     * wrote is missing, torn or an older version, so it fails its checksum or names another
     * generation. Anything else (a field out of range, a structure that is wrong while every
     * checksum holds) is damage, whatever the seal says.
     */
    private static final class UnwrittenBlock extends Exception {
        UnwrittenBlock() {
            super(null, null, false, false);
        }
    }

    private static VfsException unwritten(BlockDevice device, String what) {
        return new VfsException(Errno.EUCLEAN, device.name(), "cowfs: " + what, new UnwrittenBlock());
    }

    private static boolean isUnwritten(VfsException e) {
        return e.getCause() instanceof UnwrittenBlock;
    }

    /**
     * Reads the chain starting at {@code first}, every block written by commit {@code generation}:
     * each block is checked, in range and not yet in {@code used} (so no block is referenced
     * twice), then marked; the joined payload must have {@code length} bytes and checksum
     * {@code crc}. The chain's blocks are appended to {@code blocks}.
     */
    private static byte[] readChain(BlockDevice device, long first, long generation, long length, int crc, long blockCount,
            BitSet used, List<Long> blocks, String what) throws VfsException {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        long next = first;
        while (next != 0) {
            if (next < SuperblockDescriptor.SLOTS || next >= blockCount || used.get((int) next)) {
                throw corrupt(device, "chain of the " + what + " points at block " + next + " (out of range or shared)");
            }
            String[] why = new String[1];
            byte[] block = readBlock(device, next);
            MetaBlockDescriptor.MetaBlock meta = MetaBlockDescriptor.decode(block, generation, why);
            if (meta == null) {
                throw unwritten(device, "metadata block " + next + " of the " + what + ": " + why[0]);
            }
            used.set((int) next);
            blocks.add(next);
            stream.write(block, MetaBlockDescriptor.HEADER_LENGTH, meta.length());
            if (stream.size() > length) {
                throw unwritten(device, "chain of the " + what + " is longer than the " + length + " bytes expected");
            }
            next = meta.next();
        }
        byte[] bytes = stream.toByteArray();
        if (bytes.length != length || crc(bytes) != crc) {
            throw unwritten(device, "the " + what + " fails its length or checksum");
        }
        return bytes;
    }

    /**
     * The superblock slots that hold a superblock (magic, version and checksum hold), newest
     * first. A slot that fails these is what a torn superblock write leaves (or another format),
     * and is skipped; every other field is validated with the commit ({@link #load(BlockDevice,
     * Candidate)}), so a superblock whose checksum holds but whose content does not is a damaged
     * commit, not a torn write.
     *
     * @throws VfsException EUCLEAN naming both slots' defects when neither holds one
     */
    static List<Candidate> candidates(BlockDevice device) throws VfsException {
        if (device.blockCount() < 3) {
            throw corrupt(device, "device of " + device.blockCount() + " blocks is too small");
        }
        List<Candidate> found = new ArrayList<>();
        String[] reasons = new String[SuperblockDescriptor.SLOTS];
        byte[][] blocks = new byte[SuperblockDescriptor.SLOTS][];
        for (int slot = 0; slot < SuperblockDescriptor.SLOTS; slot++) {
            blocks[slot] = readBlock(device, slot);
        }
        for (int slot = 0; slot < SuperblockDescriptor.SLOTS; slot++) {
            String[] why = new String[1];
            Superblock sb = SuperblockDescriptor.decode(blocks[slot], why);
            reasons[slot] = why[0];
            if (sb != null) {
                boolean sealed = SuperblockDescriptor.completeByVersion(blocks[slot])
                        || SuperblockDescriptor.seals(blocks[(slot + 1) % SuperblockDescriptor.SLOTS], sb.generation());
                found.add(new Candidate(slot, sb, sealed, blocks[slot]));
            }
        }
        if (found.isEmpty()) {
            throw corrupt(device, "no valid superblock (slot 0: " + reasons[0] + "; slot 1: " + reasons[1] + ")");
        }
        found.sort(java.util.Comparator.comparingLong(Candidate::generation).reversed());
        return found;
    }

    /**
     * The commit to mount, validated:
     * <ul>
     *   <li>the newest commit when it validates; if it is unsealed (perhaps cut before its flush),
     *       every data block it wrote must also match its checksum ({@link #verifyWritten}): its
     *       metadata blocks are already covered by the checksum chain from the superblock;</li>
     *   <li>else, when it is unsealed and failed on a block it wrote (checksum or generation:
     *       what a cut before its flush leaves, {@link UnwrittenBlock}), the previous commit, as
     *       the last durable one: that commit never completed its fsync, so nothing durable is
     *       lost;</li>
     *   <li>else (a sealed commit fails, or any commit fails in a way a cut cannot cause: damage)
     *       the previous commit, to be mounted read-only so the damaged one stays for
     *       inspection.</li>
     * </ul>
     *
     * @throws VfsException EUCLEAN when no commit qualifies (naming both when both were tried),
     *         EIO on device errors (never masked: a retry may succeed)
     */
    static Selection select(BlockDevice device) throws VfsException {
        List<Candidate> candidates = candidates(device);
        Candidate newest = candidates.getFirst();
        Candidate previous = candidates.size() > 1 ? candidates.get(1) : null;
        Snapshot previousSnapshot = null;
        VfsException previousFailure = null;
        try {
            Snapshot snapshot = load(device, newest);
            if (!newest.sealed()) {
                if (previous != null) {
                    try {
                        previousSnapshot = load(device, previous);
                    } catch (VfsException e) {
                        if (e.errno() != Errno.EUCLEAN) {
                            throw e;
                        }
                        previousFailure = e; // then every data block of the newest is verified
                    }
                }
                verifyWritten(device, snapshot, previousSnapshot);
            }
            return new Selection(newest, snapshot, null, null);
        } catch (VfsException damaged) {
            if (damaged.errno() != Errno.EUCLEAN || previous == null) {
                throw damaged;
            }
            if (previousFailure == null && previousSnapshot == null) {
                try {
                    previousSnapshot = load(device, previous);
                } catch (VfsException e) {
                    previousFailure = e;
                }
            }
            if (previousFailure != null) {
                throw new VfsException(previousFailure.errno(), device.name(), "cowfs: both commits fail validation: generation "
                        + newest.generation() + " (" + damaged.getMessage() + "); generation " + previous.generation() + " ("
                        + previousFailure.getMessage() + ")", damaged);
            }
            String why = "generation " + newest.generation() + " fails validation (" + damaged.getMessage() + "); generation "
                    + previous.generation();
            return newest.sealed() || !isUnwritten(damaged)
                    ? new Selection(previous, previousSnapshot, why + " mounted read-only", null)
                    : new Selection(previous, previousSnapshot, null, why + " is the last durable commit (generation "
                            + newest.generation() + " is unsealed: cut before its flush)");
        }
    }

    /**
     * The commit {@link CowFsck} checks: the one {@link #select} mounts writable; when mount would
     * fall back read-only (damage), the newest, so that its damage is reported (thrown here).
     */
    static Snapshot selectForCheck(BlockDevice device) throws VfsException {
        Selection selection = select(device);
        return selection.damagedCommit() != null ? load(device, candidates(device).getFirst()) : selection.snapshot();
    }

    /**
     * Checks every data block that commit {@code snapshot} wrote: those it references and
     * {@code previous} (the commit before it, or null when unknown: then all of them) does not.
     * A block both reference was written before {@code previous} became durable and is never
     * overwritten while a durable commit references it (copy-on-write), so it needs no check.
     * The count is bounded by the dirty limit, which forces a commit.
     */
    private static void verifyWritten(BlockDevice device, Snapshot snapshot, Snapshot previous) throws VfsException {
        BitSet before = new BitSet();
        if (previous != null) {
            for (InodeRecord inode : previous.inodes()) {
                if (inode.type() == FileType.REGULAR) {
                    for (long b : inode.blocks()) {
                        if (b != 0) {
                            before.set((int) b);
                        }
                    }
                }
            }
        }
        for (InodeRecord inode : snapshot.inodes()) {
            if (inode.type() != FileType.REGULAR) {
                continue;
            }
            for (int i = 0; i < inode.blocks().length; i++) {
                long b = inode.blocks()[i];
                if (b != 0 && !before.get((int) b) && crc(readBlock(device, b)) != inode.crcs()[i]) {
                    throw unwritten(device, "data block " + b + " (inode " + inode.ino() + " block " + i + ") of unsealed generation "
                            + snapshot.superblock().generation() + " fails its checksum");
                }
            }
        }
    }

    /**
     * Checks the superblock's own fields, bounded so that no later arithmetic on them can
     * overflow: the block count fits the allocator's int bitmaps, a next generation exists,
     * inode numbers stay below the solo keys.
     */
    private static void checkFields(BlockDevice device, Candidate candidate) throws VfsException {
        Superblock sb = candidate.superblock();
        if (sb.blockSize() != device.blockSize()) {
            throw corrupt(device, "block size " + sb.blockSize() + " differs from the device's " + device.blockSize());
        }
        if (sb.blockCount() > device.blockCount()) {
            throw corrupt(device, "file system of " + sb.blockCount() + " blocks on a device of " + device.blockCount() + " (truncated image?)");
        }
        if (sb.blockCount() < CowFs.MIN_BLOCKS || sb.blockCount() > Integer.MAX_VALUE) {
            throw corrupt(device, "file system of " + sb.blockCount() + " blocks (" + CowFs.MIN_BLOCKS + " to 2^31-1 blocks allowed)");
        }
        if (sb.generation() < 1 || sb.generation() > CowFs.MAX_GENERATION) {
            throw corrupt(device, "generation " + sb.generation() + " outside 1.." + CowFs.MAX_GENERATION);
        }
        if (sb.generation() % SuperblockDescriptor.SLOTS != candidate.slot()) {
            throw corrupt(device, "generation " + sb.generation() + " in slot " + candidate.slot());
        }
        if (sb.nextIno() <= ROOT_INO || sb.nextIno() > MAX_INO + 1) {
            throw corrupt(device, "next inode number " + sb.nextIno() + " outside " + (ROOT_INO + 1) + ".." + (MAX_INO + 1)
                    + " (generation " + sb.generation() + ")");
        }
    }

    /**
     * Reads and validates the commit {@code candidate} names: its fields, the index chain, every
     * group chain and stream, block pointers, file sizes, and the tree (every inode reachable
     * from the root, link counts equal to the references).
     */
    static Snapshot load(BlockDevice device, Candidate candidate) throws VfsException {
        checkFields(device, candidate);
        Superblock best = candidate.superblock();
        long blockCount = best.blockCount();
        BitSet used = new BitSet();
        used.set(0, SuperblockDescriptor.SLOTS);
        List<Long> indexChain = new ArrayList<>();
        byte[] indexBytes = readChain(device, best.indexFirst(), best.generation(), best.indexLength(), best.indexCrc(),
                blockCount, used, indexChain, "index of generation " + best.generation());
        InodeGroupIndex.Index index;
        try {
            index = InodeGroupIndex.decode(indexBytes);
        } catch (MetadataCodec.MalformedException e) {
            throw corrupt(device, "index of generation " + best.generation() + ": " + e.getMessage());
        }
        TreeMap<Long, GroupRef> groups = index.groups();
        List<InodeRecord> inodes = new ArrayList<>();
        for (Map.Entry<Long, GroupRef> entry : groups.entrySet()) {
            long group = entry.getKey();
            GroupRef ref = entry.getValue();
            String what = "inode group " + group + " (generation " + ref.generation() + ")";
            if (ref.generation() < 1 || ref.generation() > best.generation()) {
                throw corrupt(device, what + " lies outside generations 1.." + best.generation());
            }
            List<Long> blocks = new ArrayList<>();
            byte[] bytes = readChain(device, ref.first(), ref.generation(), ref.length(), ref.crc(), blockCount, used, blocks, what);
            List<InodeRecord> members;
            try {
                members = MetadataCodec.decode(bytes);
            } catch (MetadataCodec.MalformedException e) {
                throw corrupt(device, what + ": " + e.getMessage());
            }
            if (members.isEmpty()) {
                throw corrupt(device, what + " is empty (empty groups are left out of the index)");
            }
            for (InodeRecord inode : members) {
                boolean belongs = group >= InodeGroupIndex.SOLO_BASE
                        ? members.size() == 1 && inode.ino() == group - InodeGroupIndex.SOLO_BASE
                        : inode.ino() / index.groupSize() == group;
                if (!belongs) {
                    throw corrupt(device, what + " holds inode " + inode.ino());
                }
            }
            inodes.addAll(members);
            entry.setValue(new GroupRef(ref.generation(), ref.first(), ref.length(), ref.crc(),
                    blocks.stream().mapToLong(Long::longValue).toArray()));
        }
        Map<Long, InodeRecord> byIno = new HashMap<>();
        for (InodeRecord inode : inodes) {
            if (inode.ino() < ROOT_INO || inode.ino() >= best.nextIno() || byIno.put(inode.ino(), inode) != null) {
                throw corrupt(device, "inode number " + inode.ino() + " duplicated or out of range");
            }
            if (inode.type() == FileType.REGULAR) {
                if (inode.size() > CowFs.MAX_FILE_SIZE) {
                    throw corrupt(device, "inode " + inode.ino() + " has size " + inode.size() + " (files end at " + CowFs.MAX_FILE_SIZE + ")");
                }
                long maxBlocks = inode.size() / device.blockSize() + (inode.size() % device.blockSize() == 0 ? 0 : 1);
                if (inode.blocks().length > maxBlocks) {
                    throw corrupt(device, "inode " + inode.ino() + " has " + inode.blocks().length + " blocks for " + inode.size() + " bytes");
                }
                for (long b : inode.blocks()) {
                    if (b != 0 && (b < SuperblockDescriptor.SLOTS || b >= blockCount || used.get((int) b))) {
                        throw corrupt(device, "inode " + inode.ino() + " points at block " + b + " (out of range or shared)");
                    }
                    if (b != 0) {
                        used.set((int) b);
                    }
                }
            }
        }
        InodeRecord root = byIno.get(ROOT_INO);
        if (root == null || root.type() != FileType.DIRECTORY) {
            throw corrupt(device, "no root directory");
        }
        java.util.Set<Long> directoriesSeen = new java.util.HashSet<>();
        for (InodeRecord inode : inodes) {
            if (inode.type() == FileType.DIRECTORY) {
                for (Map.Entry<String, Long> e : inode.entries().entrySet()) {
                    InodeRecord child = byIno.get(e.getValue());
                    if (child != null && child.type() == FileType.DIRECTORY && !directoriesSeen.add(child.ino())) {
                        throw corrupt(device, "directory inode " + child.ino() + " has two parents");
                    }
                    String name = e.getKey();
                    if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0) {
                        throw corrupt(device, "directory " + inode.ino() + " holds the bad name '" + name + "'");
                    }
                    if (!byIno.containsKey(e.getValue()) || e.getValue() == ROOT_INO) {
                        throw corrupt(device, "directory " + inode.ino() + " entry '" + name + "' names inode " + e.getValue());
                    }
                }
            }
        }
        checkTree(device, inodes, byIno);
        return new Snapshot(best, inodes, byIno, indexChain.stream().mapToLong(Long::longValue).toArray(),
                index.groupSize(), groups, used);
    }

    /**
     * Every inode reachable from the root, and each link count what the tree says (a file: its
     * directory entries; a directory: 2 plus its subdirectories). A wrong count is refused here,
     * not only reported by fsck: a file whose count is below its entries would be dropped by a
     * later, unrelated commit while an entry still names it.
     */
    private static void checkTree(BlockDevice device, List<InodeRecord> inodes, Map<Long, InodeRecord> byIno) throws VfsException {
        Map<Long, Integer> references = new HashMap<>();
        Map<Long, Integer> subdirectories = new HashMap<>();
        java.util.Set<Long> reached = new java.util.HashSet<>();
        java.util.ArrayDeque<Long> pending = new java.util.ArrayDeque<>();
        pending.add(ROOT_INO);
        while (!pending.isEmpty()) {
            long ino = pending.poll();
            if (!reached.add(ino)) {
                continue;
            }
            InodeRecord inode = byIno.get(ino);
            if (inode.type() == FileType.DIRECTORY) {
                for (long child : inode.entries().values()) {
                    references.merge(child, 1, Integer::sum);
                    if (byIno.get(child).type() == FileType.DIRECTORY) {
                        subdirectories.merge(ino, 1, Integer::sum);
                    }
                    pending.add(child);
                }
            }
        }
        for (InodeRecord inode : inodes) {
            if (!reached.contains(inode.ino())) {
                throw corrupt(device, "inode " + inode.ino() + " is not reachable from the root");
            }
            long expected = inode.type() == FileType.DIRECTORY
                    ? 2L + subdirectories.getOrDefault(inode.ino(), 0)
                    : references.getOrDefault(inode.ino(), 0);
            if (inode.links() != expected) {
                throw corrupt(device, "inode " + inode.ino() + " has link count " + inode.links() + ", expected " + expected);
            }
        }
    }
}
