package dev.libos.vfs.cowfs;

import dev.libos.api.device.BlockDevice;
import dev.libos.vfs.Errno;
import dev.libos.vfs.FileType;
import dev.libos.vfs.VfsException;
import dev.libos.vfs.cowfs.SuperblockDescriptor.Superblock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Reads and validates the last commit on a device: superblock choice, metadata chain, stream,
 * and the structure mount relies on (root present, entries resolve, block pointers in range and
 * unshared). Every defect is a {@link VfsException} with errno EUCLEAN naming the device and
 * what is wrong; device failures are EIO. Shared by mount and {@link CowFsck}.
 */
final class CowImage {
    static final long ROOT_INO = 1;

    /** A validated commit. {@code used} marks the superblocks, the chain and every data block. */
    record Snapshot(Superblock superblock, List<InodeRecord> inodes, Map<Long, InodeRecord> byIno, long[] chain, BitSet used) {
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
        List<Long> chain = new ArrayList<>();
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        long next = best.metaFirst();
        while (next != 0) {
            if (next < SuperblockDescriptor.SLOTS || next >= blockCount || used.get((int) next)) {
                throw corrupt(device, "metadata chain of generation " + best.generation() + " points at block " + next);
            }
            String[] why = new String[1];
            byte[] block = readBlock(device, next);
            MetaBlockDescriptor.MetaBlock meta = MetaBlockDescriptor.decode(block, best.generation(), why);
            if (meta == null) {
                throw corrupt(device, "metadata block " + next + ": " + why[0]);
            }
            used.set((int) next);
            chain.add(next);
            stream.write(block, MetaBlockDescriptor.HEADER_LENGTH, meta.length());
            if (stream.size() > best.metaLength()) {
                throw corrupt(device, "metadata chain longer than the " + best.metaLength() + " bytes the superblock says");
            }
            next = meta.next();
        }
        byte[] bytes = stream.toByteArray();
        if (bytes.length != best.metaLength() || crc(bytes) != best.metaCrc()) {
            throw corrupt(device, "metadata stream of generation " + best.generation() + " fails its length or checksum");
        }
        List<InodeRecord> inodes;
        try {
            inodes = MetadataCodec.decode(bytes);
        } catch (MetadataCodec.MalformedException e) {
            throw corrupt(device, "metadata stream: " + e.getMessage());
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
        return new Snapshot(best, inodes, byIno, chain.stream().mapToLong(Long::longValue).toArray(), used);
    }
}
