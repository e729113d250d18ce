package dev.libos.vfs.cowfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Edits fields of the newest commit of a valid cowfs image and recomputes every checksum that
 * covers them (metadata blocks, the group's length and CRC32C in the index, the index's in the
 * superblock, the superblock's own), so the result is a crafted image whose checksums hold and
 * whose content is hostile. Streams keep their length, so every chain keeps its blocks.
 * {@link #fields()} lists every field of the superblock, the index and each group stream.
 */
final class CowImageEditor {
    /** Where a field lives. */
    enum Area { SUPERBLOCK, INDEX, GROUP }

    /** A little-endian field of {@code width} bytes at {@code offset} of its area (a group: {@code group}'s stream). */
    record Field(Area area, long group, String name, int offset, int width) {
    }

    /** One chain: its blocks and the payload length each carries. */
    private record Chain(long generation, long[] blocks, int[] lengths) {
    }

    private final byte[] image;
    private final int blockSize;
    private final int slot;
    private final byte[] superblock;
    private final Chain indexChain;
    private final byte[] index;
    private final Map<Long, Chain> groupChains = new LinkedHashMap<>();
    private final Map<Long, byte[]> groupStreams = new LinkedHashMap<>();
    private final Map<Long, Integer> entryOffsets = new LinkedHashMap<>();
    private final List<Long> editedGroups = new ArrayList<>();
    private final List<Field> fields = new ArrayList<>();
    private final List<Object[]> indexEdits = new ArrayList<>();
    private final List<Object[]> superblockEdits = new ArrayList<>();

    CowImageEditor(byte[] image, int blockSize) {
        this.image = image.clone();
        this.blockSize = blockSize;
        this.slot = generation(0) >= generation(1) ? 0 : 1;
        this.superblock = java.util.Arrays.copyOfRange(image, slot * blockSize, slot * blockSize + SuperblockDescriptor.LENGTH);
        ByteBuffer sb = ByteBuffer.wrap(superblock).order(ByteOrder.LITTLE_ENDIAN);
        for (String[] f : new String[][] {{"blockSize", "12", "4"}, {"blockCount", "16", "8"}, {"generation", "24", "8"},
                {"indexFirst", "32", "8"}, {"indexLength", "40", "8"}, {"indexCrc", "48", "4"}, {"nextIno", "52", "8"}}) {
            fields.add(new Field(Area.SUPERBLOCK, -1, "superblock " + f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2])));
        }
        long generation = sb.getLong(SuperblockDescriptor.GENERATION_OFFSET);
        this.indexChain = chain(sb.getLong(SuperblockDescriptor.INDEX_FIRST_OFFSET), generation);
        this.index = payload(indexChain);
        ByteBuffer b = ByteBuffer.wrap(index).order(ByteOrder.LITTLE_ENDIAN);
        fields.add(new Field(Area.INDEX, -1, "index groupSize", 0, 4));
        fields.add(new Field(Area.INDEX, -1, "index count", 4, 4));
        int count = b.getInt(4);
        for (int i = 0; i < count; i++) {
            int at = 8 + i * InodeGroupIndex.ENTRY_LENGTH;
            long key = b.getLong(at);
            String name = "index entry " + key + " ";
            fields.add(new Field(Area.INDEX, key, name + "key", at, 8));
            fields.add(new Field(Area.INDEX, key, name + "generation", at + 8, 8));
            fields.add(new Field(Area.INDEX, key, name + "first", at + 16, 8));
            fields.add(new Field(Area.INDEX, key, name + "length", at + 24, 4));
            fields.add(new Field(Area.INDEX, key, name + "crc", at + 28, 4));
            entryOffsets.put(key, at);
            Chain chain = chain(b.getLong(at + 16), b.getLong(at + 8));
            groupChains.put(key, chain);
            byte[] stream = payload(chain);
            groupStreams.put(key, stream);
            walkGroup(key, stream);
        }
    }

    private long generation(int s) {
        ByteBuffer b = ByteBuffer.wrap(image, s * blockSize, blockSize).slice().order(ByteOrder.LITTLE_ENDIAN);
        return SuperblockDescriptor.decode(java.util.Arrays.copyOfRange(image, s * blockSize, (s + 1) * blockSize), new String[1]) == null
                ? -1 : b.getLong(SuperblockDescriptor.GENERATION_OFFSET);
    }

    private ByteBuffer block(long block) {
        return ByteBuffer.wrap(image, Math.toIntExact(block * blockSize), blockSize).slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    private Chain chain(long first, long generation) {
        List<Long> blocks = new ArrayList<>();
        List<Integer> lengths = new ArrayList<>();
        for (long next = first; next != 0; next = block(next).getLong(MetaBlockDescriptor.NEXT_OFFSET)) {
            blocks.add(next);
            lengths.add(block(next).getInt(MetaBlockDescriptor.LENGTH_OFFSET));
        }
        return new Chain(generation, blocks.stream().mapToLong(Long::longValue).toArray(),
                lengths.stream().mapToInt(Integer::intValue).toArray());
    }

    private byte[] payload(Chain chain) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < chain.blocks().length; i++) {
            out.write(image, Math.toIntExact(chain.blocks()[i] * blockSize) + MetaBlockDescriptor.HEADER_LENGTH, chain.lengths()[i]);
        }
        return out.toByteArray();
    }

    private void walkGroup(long key, byte[] stream) {
        ByteBuffer b = ByteBuffer.wrap(stream).order(ByteOrder.LITTLE_ENDIAN);
        add(key, "count", b, 8);
        long count = b.getLong();
        for (long i = 0; i < count; i++) {
            long ino = b.getLong(b.position());
            String name = "inode " + ino + " ";
            add(key, name + "ino", b, 8);
            b.getLong();
            add(key, name + "type", b, 1);
            int type = b.get();
            add(key, name + "links", b, 4);
            b.getInt();
            add(key, name + "size", b, 8);
            b.getLong();
            switch (type) {
                case MetadataCodec.TYPE_REGULAR -> {
                    add(key, name + "blocks", b, 4);
                    int n = b.getInt();
                    for (int k = 0; k < n; k++) {
                        add(key, name + "block " + k, b, 8);
                        b.getLong();
                        add(key, name + "crc " + k, b, 4);
                        b.getInt();
                    }
                }
                case MetadataCodec.TYPE_DIRECTORY -> {
                    add(key, name + "entries", b, 4);
                    int n = b.getInt();
                    for (int k = 0; k < n; k++) {
                        add(key, name + "entry " + k + " name length", b, 2);
                        int length = Short.toUnsignedInt(b.getShort());
                        b.position(b.position() + length);
                        add(key, name + "entry " + k + " ino", b, 8);
                        b.getLong();
                    }
                }
                case MetadataCodec.TYPE_SYMLINK -> {
                    add(key, name + "target length", b, 2);
                    int length = Short.toUnsignedInt(b.getShort());
                    b.position(b.position() + length);
                }
                default -> throw new IllegalStateException("not a valid group stream: type " + type);
            }
        }
    }

    private void add(long group, String name, ByteBuffer b, int width) {
        fields.add(new Field(Area.GROUP, group, name, b.position(), width));
    }

    List<Field> fields() {
        return fields;
    }

    Field field(String name) {
        return fields.stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(name));
    }

    /** The newest commit's generation. */
    long generation() {
        return ByteBuffer.wrap(superblock).order(ByteOrder.LITTLE_ENDIAN).getLong(SuperblockDescriptor.GENERATION_OFFSET);
    }

    /** Blocks of the newest commit's metadata chains (the index's first). */
    List<Long> metadataBlocks() {
        List<Long> blocks = new ArrayList<>();
        for (long b : indexChain.blocks()) {
            blocks.add(b);
        }
        for (Chain c : groupChains.values()) {
            for (long b : c.blocks()) {
                blocks.add(b);
            }
        }
        return blocks;
    }

    /** The value {@code field} held as written (sign-extended from its width). */
    long get(Field field) {
        byte[] bytes = switch (field.area()) {
            case SUPERBLOCK -> superblock;
            case INDEX -> index;
            case GROUP -> groupStreams.get(field.group());
        };
        long value = 0;
        for (int i = field.width() - 1; i >= 0; i--) {
            value = (value << 8) | (bytes[field.offset() + i] & 0xFF);
        }
        int unused = 64 - 8 * field.width();
        return (value << unused) >> unused;
    }

    CowImageEditor set(String name, long value) {
        return set(field(name), value);
    }

    /** Sets {@code field} to the low bytes of {@code value}; checksums are recomputed by {@link #toBytes}. */
    CowImageEditor set(Field field, long value) {
        switch (field.area()) {
            case SUPERBLOCK -> superblockEdits.add(new Object[] {field, value});
            case INDEX -> indexEdits.add(new Object[] {field, value});
            case GROUP -> {
                put(groupStreams.get(field.group()), field.offset(), field.width(), value);
                if (!editedGroups.contains(field.group())) {
                    editedGroups.add(field.group());
                }
            }
        }
        return this;
    }

    private static void put(byte[] bytes, int offset, int width, long value) {
        for (int i = 0; i < width; i++) {
            bytes[offset + i] = (byte) (value >>> (8 * i));
        }
    }

    private static int crc(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return (int) crc.getValue();
    }

    private void writeChain(Chain chain, byte[] stream) {
        int from = 0;
        for (int i = 0; i < chain.blocks().length; i++) {
            long next = i + 1 < chain.blocks().length ? chain.blocks()[i + 1] : 0;
            byte[] block = MetaBlockDescriptor.encode(blockSize, chain.generation(), next, stream, from, chain.lengths()[i]);
            System.arraycopy(block, 0, image, Math.toIntExact(chain.blocks()[i] * blockSize), blockSize);
            from += chain.lengths()[i];
        }
    }

    /** The image with the edits applied and the checksums that cover them recomputed. */
    byte[] toBytes() {
        byte[] newIndex = index.clone();
        for (long key : editedGroups) {
            byte[] stream = groupStreams.get(key);
            writeChain(groupChains.get(key), stream);
            put(newIndex, entryOffsets.get(key) + 24, 4, stream.length);
            put(newIndex, entryOffsets.get(key) + 28, 4, crc(stream, stream.length));
        }
        for (Object[] edit : indexEdits) {
            Field f = (Field) edit[0];
            put(newIndex, f.offset(), f.width(), (Long) edit[1]);
        }
        writeChain(indexChain, newIndex);
        byte[] sb = superblock.clone();
        put(sb, SuperblockDescriptor.INDEX_LENGTH_OFFSET, 8, newIndex.length);
        put(sb, SuperblockDescriptor.INDEX_CRC_OFFSET, 4, crc(newIndex, newIndex.length));
        for (Object[] edit : superblockEdits) {
            Field f = (Field) edit[0];
            put(sb, f.offset(), f.width(), (Long) edit[1]);
        }
        put(sb, SuperblockDescriptor.CRC_OFFSET, 4, crc(sb, SuperblockDescriptor.CRC_OFFSET));
        byte[] out = image.clone();
        System.arraycopy(sb, 0, out, slot * blockSize, sb.length);
        return out;
    }
}
