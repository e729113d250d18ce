package dev.libos.vfs.imagefs;

import dev.libos.api.device.BlockDevice;
import dev.libos.vfs.DirEntry;
import dev.libos.vfs.Errno;
import dev.libos.vfs.FileType;
import dev.libos.vfs.VfsException;
import dev.libos.vfs.spi.FileSystem;
import dev.libos.vfs.spi.Vnode;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The read-only image file system over a {@link BlockDevice} ({@link ImageHeaderDescriptor},
 * written by {@link ImageWriter}). Mount reads and checks the header and inode table (EUCLEAN
 * naming the defect); every data block read is checked against its CRC32C (EIO on mismatch).
 * Changes fail with EROFS. Single-threaded, serialised by the VFS mount lock.
 */
public final class ImageFs implements FileSystem {
    private final BlockDevice device;
    private final int blockSize;
    private final Node[] nodes;

    private ImageFs(BlockDevice device, List<ImageTableCodec.Entry> entries) {
        this.device = device;
        this.blockSize = device.blockSize();
        this.nodes = new Node[entries.size()];
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = new Node(i + 1L, entries.get(i));
        }
    }

    /** The largest inode table read at mount (it is held in memory whole). */
    static final long MAX_TABLE_BYTES = Integer.MAX_VALUE / 2;

    /** {@code ceil(n / d)} for {@code n >= 0}, {@code d > 0}, without the overflow of {@code (n + d - 1) / d}. */
    static long ceilDiv(long n, long d) {
        return n / d + (n % d == 0 ? 0 : 1);
    }

    private static VfsException corrupt(BlockDevice device, String what) {
        return new VfsException(Errno.EUCLEAN, device.name(), "image: " + what);
    }

    /** Mounts the image on {@code device}. */
    public static ImageFs mount(BlockDevice device) throws VfsException {
        byte[] first = read(device, 0, 1);
        String[] why = new String[1];
        ImageHeaderDescriptor.Header h = ImageHeaderDescriptor.decode(first, why);
        if (h == null) {
            throw corrupt(device, why[0]);
        }
        if (h.blockSize() != device.blockSize()) {
            throw corrupt(device, "block size " + h.blockSize() + " on a device of " + device.blockSize());
        }
        if (h.totalBlocks() > device.blockCount()) {
            throw corrupt(device, "image of " + h.totalBlocks() + " blocks on a device of " + device.blockCount() + " (truncated?)");
        }
        // Every bound below is checked without an addition that could overflow: block numbers
        // and lengths come from the disk and may be anything (issue 16).
        if (h.totalBlocks() < 2) {
            throw corrupt(device, "image of " + h.totalBlocks() + " blocks has no room for a table");
        }
        if (h.tableLength() < 4 || h.tableLength() > MAX_TABLE_BYTES) {
            throw corrupt(device, "inode table of " + h.tableLength() + " bytes (4 to " + MAX_TABLE_BYTES + " allowed)");
        }
        long tableBlocks = ceilDiv(h.tableLength(), h.blockSize());
        if (h.tableBlock() < 1 || h.tableBlock() > h.totalBlocks() - tableBlocks) {
            throw corrupt(device, "inode table at block " + h.tableBlock() + " (" + tableBlocks + " blocks) outside the image's "
                    + h.totalBlocks() + " blocks");
        }
        byte[] table = java.util.Arrays.copyOf(read(device, h.tableBlock(), (int) tableBlocks), (int) h.tableLength());
        CRC32C crc = new CRC32C();
        crc.update(table);
        if ((int) crc.getValue() != h.tableCrc()) {
            throw corrupt(device, "inode table checksum mismatch");
        }
        List<ImageTableCodec.Entry> entries = ImageTableCodec.decode(table, h.blockSize(), why);
        if (entries == null) {
            throw corrupt(device, why[0]);
        }
        if (entries.getFirst().type() != FileType.DIRECTORY) {
            throw corrupt(device, "inode 1 is not a directory");
        }
        boolean[] hasParent = new boolean[entries.size() + 1];
        for (int i = 0; i < entries.size(); i++) {
            ImageTableCodec.Entry e = entries.get(i);
            // Data lies in [1, tableBlock): firstBlock + blocks <= tableBlock, written so that it cannot overflow.
            if (e.type() == FileType.REGULAR && (e.firstBlock() < 1 || e.firstBlock() > h.tableBlock() - e.crcs().length)) {
                throw corrupt(device, "inode " + (i + 1) + " data (" + e.crcs().length + " blocks at block " + e.firstBlock()
                        + ") outside the data area [1, " + h.tableBlock() + ")");
            }
            if (e.type() == FileType.DIRECTORY) {
                for (Map.Entry<String, Long> c : e.children().entrySet()) {
                    long ino = c.getValue();
                    if (ino < 2 || ino > entries.size() || hasParent[(int) ino] || c.getKey().isEmpty() || c.getKey().contains("/")
                            || c.getKey().equals(".") || c.getKey().equals("..")) {
                        throw corrupt(device, "directory " + (i + 1) + " entry '" + c.getKey() + "' is invalid");
                    }
                    if (entries.get((int) ino - 1).type() == FileType.DIRECTORY) {
                        hasParent[(int) ino] = true;
                    }
                }
            }
        }
        return new ImageFs(device, entries);
    }

    private static byte[] read(BlockDevice device, long block, int blocks) throws VfsException {
        byte[] bytes = new byte[blocks * device.blockSize()];
        try {
            device.read(block, MemorySegment.ofArray(bytes));
        } catch (IOException | IllegalArgumentException e) {
            throw new VfsException(Errno.EIO, device.name(), "reading block " + block + ": " + e.getMessage(), e);
        }
        return bytes;
    }

    @Override
    public String type() {
        return "imagefs";
    }

    @Override
    public Vnode root() {
        return nodes[0];
    }

    @Override
    public boolean isReadOnly() {
        return true;
    }

    @Override
    public void sync() {
    }

    @Override
    public void unmount() {
    }

    /** One inode of the image. */
    private final class Node implements Vnode {
        private final long ino;
        private final ImageTableCodec.Entry entry;

        Node(long ino, ImageTableCodec.Entry entry) {
            this.ino = ino;
            this.entry = entry;
        }

        @Override
        public long ino() {
            return ino;
        }

        @Override
        public FileType type() {
            return entry.type();
        }

        @Override
        public long size() {
            return entry.type() == FileType.DIRECTORY ? entry.children().size() : entry.size();
        }

        @Override
        public int links() {
            if (entry.type() != FileType.DIRECTORY) {
                return 1;
            }
            int subdirectories = 0;
            for (long child : entry.children().values()) {
                subdirectories += nodes[(int) child - 1].type() == FileType.DIRECTORY ? 1 : 0;
            }
            return 2 + subdirectories;
        }

        @Override
        public Vnode lookup(String name) {
            Long child = entry.children().get(name);
            return child == null ? null : nodes[(int) (long) child - 1];
        }

        @Override
        public List<DirEntry> readdir() {
            List<DirEntry> list = new ArrayList<>();
            entry.children().forEach((name, child) -> list.add(new DirEntry(name, child, nodes[(int) (long) child - 1].type())));
            return list;
        }

        @Override
        public String readlink() {
            return entry.target();
        }

        @Override
        public int read(long position, ByteBuffer dst) throws VfsException {
            long size = entry.size();
            if (position >= size) {
                return dst.hasRemaining() ? -1 : 0;
            }
            int total = (int) Math.min(dst.remaining(), size - position);
            int done = 0;
            while (done < total) {
                long at = position + done;
                long index = at / blockSize;
                int offset = (int) (at % blockSize);
                int n = Math.min(blockSize - offset, total - done);
                if (index >= entry.crcs().length) { // mount checked size against the checksums; checked again, never trusted
                    throw VfsException.of(Errno.EIO, "image inode " + ino + ": file block " + index + " past its "
                            + entry.crcs().length + " blocks");
                }
                byte[] block = ImageFs.read(device, entry.firstBlock() + index, 1);
                CRC32C crc = new CRC32C();
                crc.update(block);
                if ((int) crc.getValue() != entry.crcs()[(int) index]) {
                    throw VfsException.of(Errno.EIO, "image block " + (entry.firstBlock() + index) + " (inode " + ino + ") fails its checksum");
                }
                dst.put(block, offset, n);
                done += n;
            }
            return total;
        }
    }
}
