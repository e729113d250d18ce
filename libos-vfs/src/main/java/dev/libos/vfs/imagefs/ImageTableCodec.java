package dev.libos.vfs.imagefs;

import dev.libos.vfs.FileType;
import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The inode table of a read-only image. Inode numbers are positions in the table plus one
 * (the root is inode 1). Little-endian.
 *
 * <pre>
 * table  := count:u32 inode*
 * inode  := type:u8 size:u64 body
 * body   := (0 REGULAR)   firstBlock:u64 crc:u32 * ceil(size / blockSize)   one CRC32C per data block
 *         | (1 DIRECTORY) nentries:u32 (nameLen:u16 name:utf8 ino:u64)*     names sorted
 *         | (2 SYMLINK)   len:u16 target:utf8
 * </pre>
 */
final class ImageTableCodec {
    private ImageTableCodec() {
    }

    /** One inode of the table. */
    record Entry(FileType type, long size, long firstBlock, int[] crcs, Map<String, Long> children, String target) {
    }

    static byte[] encode(List<Entry> inodes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer b = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(inodes.size());
        emit(b, out);
        for (Entry e : inodes) {
            b.put((byte) e.type().ordinal()).putLong(e.size());
            emit(b, out);
            switch (e.type()) {
                case REGULAR -> {
                    b.putLong(e.firstBlock());
                    emit(b, out);
                    for (int crc : e.crcs()) {
                        b.putInt(crc);
                        emit(b, out);
                    }
                }
                case DIRECTORY -> {
                    b.putInt(e.children().size());
                    emit(b, out);
                    for (Map.Entry<String, Long> c : e.children().entrySet()) {
                        byte[] name = c.getKey().getBytes(StandardCharsets.UTF_8);
                        b.putShort((short) name.length);
                        emit(b, out);
                        out.writeBytes(name);
                        b.putLong(c.getValue());
                        emit(b, out);
                    }
                }
                case SYMLINK -> {
                    byte[] target = e.target().getBytes(StandardCharsets.UTF_8);
                    b.putShort((short) target.length);
                    emit(b, out);
                    out.writeBytes(target);
                }
                default -> throw new IllegalArgumentException("images cannot hold " + e.type());
            }
        }
        return out.toByteArray();
    }

    private static void emit(ByteBuffer b, ByteArrayOutputStream out) {
        out.write(b.array(), 0, b.position());
        b.clear();
    }

    /** Decodes; returns null with the reason in {@code why[0]} for a malformed table. */
    static List<Entry> decode(byte[] table, int blockSize, String[] why) {
        ByteBuffer b = ByteBuffer.wrap(table).order(ByteOrder.LITTLE_ENDIAN);
        try {
            int count = b.getInt();
            if (count < 1 || count > table.length / 9) {
                why[0] = "inode count " + count + " impossible";
                return null;
            }
            List<Entry> inodes = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int type = b.get();
                long size = b.getLong();
                if (size < 0) {
                    why[0] = "inode " + (i + 1) + " has size " + size;
                    return null;
                }
                switch (type) {
                    case 0 -> {
                        long first = b.getLong();
                        long blocks = ImageFs.ceilDiv(size, blockSize);
                        if (blocks > b.remaining() / 4) {
                            why[0] = "inode " + (i + 1) + " of " + size + " bytes needs " + blocks + " block checksums: they overrun the table";
                            return null;
                        }
                        int[] crcs = new int[(int) blocks];
                        for (int k = 0; k < crcs.length; k++) {
                            crcs[k] = b.getInt();
                        }
                        inodes.add(new Entry(FileType.REGULAR, size, first, crcs, null, null));
                    }
                    case 1 -> {
                        int n = b.getInt();
                        if (n < 0 || n > b.remaining() / 10) {
                            why[0] = "inode " + (i + 1) + " entries overrun the table";
                            return null;
                        }
                        Map<String, Long> children = new TreeMap<>();
                        for (int k = 0; k < n; k++) {
                            String name = new String(string(b), StandardCharsets.UTF_8);
                            if (children.put(name, b.getLong()) != null) {
                                why[0] = "directory inode " + (i + 1) + " holds the name '" + name + "' twice";
                                return null;
                            }
                        }
                        inodes.add(new Entry(FileType.DIRECTORY, size, 0, null, children, null));
                    }
                    case 2 -> {
                        byte[] target = string(b);
                        if (target.length == 0 || size != target.length) {
                            why[0] = "symlink inode " + (i + 1) + " has size " + size + " for a target of " + target.length + " bytes";
                            return null;
                        }
                        inodes.add(new Entry(FileType.SYMLINK, size, 0, null, null, new String(target, StandardCharsets.UTF_8)));
                    }
                    default -> {
                        why[0] = "inode " + (i + 1) + " has unknown type " + type;
                        return null;
                    }
                }
            }
            if (b.hasRemaining()) {
                why[0] = b.remaining() + " bytes after the last inode";
                return null;
            }
            return inodes;
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            why[0] = "table ends inside an inode";
            return null;
        }
    }

    private static byte[] string(ByteBuffer b) {
        int length = Short.toUnsignedInt(b.getShort());
        if (length > b.remaining()) {
            throw new IllegalArgumentException("overrun");
        }
        byte[] bytes = new byte[length];
        b.get(bytes);
        return bytes;
    }
}
