package dev.libos.vfs.cowfs;

import dev.libos.vfs.FileType;
import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stream of one inode group ({@link InodeGroupIndex}): its live inodes, little-endian.
 *
 * <pre>
 * stream   := count:u64 inode*
 * inode    := ino:u64 type:u8 links:u32 size:u64 body
 * body     := (REGULAR)   nblocks:u32 (block:u64 crc:u32)*      block 0 = hole
 *           | (DIRECTORY) nentries:u32 (nameLen:u16 name:utf8 ino:u64)*
 *           | (SYMLINK)   len:u16 target:utf8
 * type     := 0 REGULAR | 1 DIRECTORY | 2 SYMLINK
 * </pre>
 * Decoding checks every length against what is left, so a damaged stream is an error, never an
 * exception from deep inside.
 */
final class MetadataCodec {
    private MetadataCodec() {
    }

    static final int TYPE_REGULAR = 0;
    static final int TYPE_DIRECTORY = 1;
    static final int TYPE_SYMLINK = 2;

    static byte[] encode(List<InodeRecord> inodes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(inodes.size());
        flush(b, out);
        for (InodeRecord inode : inodes) {
            b.putLong(inode.ino()).put((byte) typeCode(inode.type())).putInt(inode.links()).putLong(inode.size());
            flush(b, out);
            switch (inode.type()) {
                case REGULAR -> {
                    b.putInt(inode.blocks().length);
                    flush(b, out);
                    for (int i = 0; i < inode.blocks().length; i++) {
                        b.putLong(inode.blocks()[i]).putInt(inode.crcs()[i]);
                        flush(b, out);
                    }
                }
                case DIRECTORY -> {
                    b.putInt(inode.entries().size());
                    flush(b, out);
                    for (Map.Entry<String, Long> e : inode.entries().entrySet()) {
                        byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
                        b.putShort((short) name.length);
                        flush(b, out);
                        out.writeBytes(name);
                        b.putLong(e.getValue());
                        flush(b, out);
                    }
                }
                case SYMLINK -> {
                    byte[] target = inode.target().getBytes(StandardCharsets.UTF_8);
                    b.putShort((short) target.length);
                    flush(b, out);
                    out.writeBytes(target);
                }
                default -> throw new IllegalArgumentException("cowfs cannot store " + inode.type());
            }
        }
        return out.toByteArray();
    }

    private static void flush(ByteBuffer b, ByteArrayOutputStream out) {
        out.write(b.array(), 0, b.position());
        b.clear();
    }

    private static int typeCode(FileType type) {
        return switch (type) {
            case REGULAR -> TYPE_REGULAR;
            case DIRECTORY -> TYPE_DIRECTORY;
            case SYMLINK -> TYPE_SYMLINK;
            default -> throw new IllegalArgumentException("cowfs cannot store " + type);
        };
    }

    /** Thrown for a malformed stream; the message says where. */
    static final class MalformedException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedException(String message) {
            super(message);
        }
    }

    static List<InodeRecord> decode(byte[] stream) throws MalformedException {
        ByteBuffer b = ByteBuffer.wrap(stream).order(ByteOrder.LITTLE_ENDIAN);
        try {
            long count = b.getLong();
            if (count < 0 || count > stream.length / 21) {
                throw new MalformedException("inode count " + count + " impossible for a stream of " + stream.length + " bytes");
            }
            List<InodeRecord> inodes = new ArrayList<>((int) count);
            for (long i = 0; i < count; i++) {
                long ino = b.getLong();
                int code = b.get();
                int links = b.getInt();
                long size = b.getLong();
                if (links < 0 || size < 0) {
                    throw new MalformedException("inode " + ino + ": links " + links + ", size " + size);
                }
                switch (code) {
                    case TYPE_REGULAR -> {
                        int n = b.getInt();
                        if (n < 0 || n > b.remaining() / 12) {
                            throw new MalformedException("inode " + ino + ": " + n + " blocks overrun the stream");
                        }
                        long[] blocks = new long[n];
                        int[] crcs = new int[n];
                        for (int k = 0; k < n; k++) {
                            blocks[k] = b.getLong();
                            crcs[k] = b.getInt();
                        }
                        inodes.add(new InodeRecord(ino, FileType.REGULAR, links, size, blocks, crcs, null, null));
                    }
                    case TYPE_DIRECTORY -> {
                        int n = b.getInt();
                        if (n < 0 || n > b.remaining() / 10) {
                            throw new MalformedException("inode " + ino + ": " + n + " entries overrun the stream");
                        }
                        Map<String, Long> entries = new LinkedHashMap<>();
                        for (int k = 0; k < n; k++) {
                            entries.put(string(b, ino), b.getLong());
                        }
                        inodes.add(new InodeRecord(ino, FileType.DIRECTORY, links, size, null, null, entries, null));
                    }
                    case TYPE_SYMLINK -> inodes.add(new InodeRecord(ino, FileType.SYMLINK, links, size, null, null, null, string(b, ino)));
                    default -> throw new MalformedException("inode " + ino + ": unknown type " + code);
                }
            }
            if (b.hasRemaining()) {
                throw new MalformedException(b.remaining() + " bytes after the last inode");
            }
            return inodes;
        } catch (BufferUnderflowException e) {
            throw new MalformedException("stream ends inside an inode");
        }
    }

    private static String string(ByteBuffer b, long ino) throws MalformedException {
        int length = Short.toUnsignedInt(b.getShort());
        if (length > b.remaining()) {
            throw new MalformedException("inode " + ino + ": name of " + length + " bytes overruns the stream");
        }
        byte[] bytes = new byte[length];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
