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

    /**
     * A validated commit. {@code used} marks the superblocks, the index chain, every group chain
     * and every data block; {@code groups} carries each group chain's blocks.
     */
    record Snapshot(Superblock superblock, List<InodeRecord> inodes, Map<Long, InodeRecord> byIno, long[] indexChain,
            int groupSize, TreeMap<Long, GroupRef> groups, BitSet used) {
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
                throw corrupt(device, "metadata block " + next + " of the " + what + ": " + why[0]);
            }
            used.set((int) next);
            blocks.add(next);
            stream.write(block, MetaBlockDescriptor.HEADER_LENGTH, meta.length());
            if (stream.size() > length) {
                throw corrupt(device, "chain of the " + what + " is longer than the " + length + " bytes expected");
            }
            next = meta.next();
        }
        byte[] bytes = stream.toByteArray();
        if (bytes.length != length || crc(bytes) != crc) {
            throw corrupt(device, "the " + what + " fails its length or checksum");
        }
        return bytes;
    }

    static Snapshot load(BlockDevice device) throws VfsException {
        if (device.blockCount() < 3) {
            throw corrupt(device, "device of " + device.blockCount() + " blocks is too small");
        }
        Superblock best = null;
        String[] reasons = new String[SuperblockDescriptor.SLOTS];
        for (int slot = 0; slot < SuperblockDescriptor.SLOTS; slot++) {
            String[] why = new String[1];
            Superblock sb = SuperblockDescriptor.decode(readBlock(device, slot), why);
            if (sb != null && sb.blockSize() != device.blockSize()) {
                why[0] = "block size " + sb.blockSize() + " differs from the device's " + device.blockSize();
                sb = null;
            }
            if (sb != null && sb.blockCount() > device.blockCount()) {
                why[0] = "file system of " + sb.blockCount() + " blocks on a device of " + device.blockCount() + " (truncated image?)";
                sb = null;
            }
            if (sb != null && sb.generation() % 2 != slot) {
                why[0] = "generation " + sb.generation() + " in slot " + slot;
                sb = null;
            }
            reasons[slot] = why[0];
            if (sb != null && (best == null || sb.generation() > best.generation())) {
                best = sb;
            }
        }
        if (best == null) {
            throw corrupt(device, "no valid superblock (slot 0: " + reasons[0] + "; slot 1: " + reasons[1] + ")");
        }
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
                long maxBlocks = (inode.size() + device.blockSize() - 1) / device.blockSize();
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
        return new Snapshot(best, inodes, byIno, indexChain.stream().mapToLong(Long::longValue).toArray(),
                index.groupSize(), groups, used);
    }
}
