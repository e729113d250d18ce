package dev.libos.vfs.imagefs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Edits fields of a valid image ({@link ImageHeaderDescriptor}, {@link ImageTableCodec}) and
 * recomputes the table and header checksums, so the result is a crafted image whose checksums
 * hold and whose content is hostile. {@link #fields()} lists every header and table field of the
 * image as it was written.
 */
final class ImageEditor {
    /** A field at {@code offset} of the image, {@code width} bytes, little-endian. */
    record Field(String name, int offset, int width) {
    }

    private final byte[] image;
    private final int blockSize;
    private final int tableOffset;
    private final int tableLength;
    private final List<Field> fields = new ArrayList<>();

    ImageEditor(byte[] image) {
        this.image = image.clone();
        ImageHeaderDescriptor.Header h = ImageHeaderDescriptor.decode(image, new String[1]);
        this.blockSize = h.blockSize();
        this.tableOffset = Math.toIntExact(h.tableBlock() * blockSize);
        this.tableLength = Math.toIntExact(h.tableLength());
        fields.add(new Field("header.blockSize", ImageHeaderDescriptor.BLOCK_SIZE_OFFSET, 4));
        fields.add(new Field("header.totalBlocks", ImageHeaderDescriptor.TOTAL_BLOCKS_OFFSET, 8));
        fields.add(new Field("header.tableBlock", ImageHeaderDescriptor.TABLE_BLOCK_OFFSET, 8));
        fields.add(new Field("header.tableLength", ImageHeaderDescriptor.TABLE_LENGTH_OFFSET, 8));
        walkTable();
    }

    private void walkTable() {
        ByteBuffer b = ByteBuffer.wrap(image, tableOffset, tableLength).slice().order(ByteOrder.LITTLE_ENDIAN);
        field("table.count", b, 4);
        int count = b.getInt();
        for (int ino = 1; ino <= count; ino++) {
            field("inode " + ino + " type", b, 1);
            int type = b.get();
            field("inode " + ino + " size", b, 8);
            long size = b.getLong();
            switch (type) {
                case 0 -> {
                    field("inode " + ino + " firstBlock", b, 8);
                    b.getLong();
                    for (long k = 0; k < (size + blockSize - 1) / blockSize; k++) {
                        field("inode " + ino + " crc " + k, b, 4);
                        b.getInt();
                    }
                }
                case 1 -> {
                    field("inode " + ino + " entries", b, 4);
                    int n = b.getInt();
                    for (int k = 0; k < n; k++) {
                        field("inode " + ino + " entry " + k + " name length", b, 2);
                        skipString(b);
                        field("inode " + ino + " entry " + k + " ino", b, 8);
                        b.getLong();
                    }
                }
                case 2 -> {
                    field("inode " + ino + " target length", b, 2);
                    skipString(b);
                }
                default -> throw new IllegalStateException("not a valid image: type " + type);
            }
        }
    }

    private static void skipString(ByteBuffer b) {
        int length = Short.toUnsignedInt(b.getShort());
        b.position(b.position() + length);
    }

    private void field(String name, ByteBuffer table, int width) {
        fields.add(new Field(name, tableOffset + table.position(), width));
    }

    List<Field> fields() {
        return fields;
    }

    /** The field named {@code name}. */
    Field field(String name) {
        return fields.stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(name));
    }

    /** Sets {@code field} to the low {@code width} bytes of {@code value}; checksums are recomputed by {@link #toBytes}. */
    ImageEditor set(Field field, long value) {
        for (int i = 0; i < field.width(); i++) {
            image[field.offset() + i] = (byte) (value >>> (8 * i));
        }
        return this;
    }

    /** The value {@code field} holds now (sign-extended from its width). */
    long get(Field field) {
        long value = 0;
        for (int i = field.width() - 1; i >= 0; i--) {
            value = (value << 8) | (image[field.offset() + i] & 0xFF);
        }
        int unused = 64 - 8 * field.width();
        return (value << unused) >> unused;
    }

    ImageEditor set(String name, long value) {
        return set(field(name), value);
    }

    /** The image with the table CRC32C (as the header says where the table is now) and the header CRC32C recomputed. */
    byte[] toBytes() {
        byte[] out = image.clone();
        ByteBuffer h = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        // The table CRC covers where the (possibly edited) header now says the table is, when
        // that lies inside the image, so the edit reaches the checks behind the checksum.
        long block = h.getLong(ImageHeaderDescriptor.TABLE_BLOCK_OFFSET);
        long length = h.getLong(ImageHeaderDescriptor.TABLE_LENGTH_OFFSET);
        int from = tableOffset;
        int bytes = tableLength;
        if (block >= 0 && block < out.length / blockSize && length >= 0 && length <= out.length - block * blockSize) {
            from = (int) (block * blockSize);
            bytes = (int) length;
        }
        CRC32C crc = new CRC32C();
        crc.update(out, from, bytes);
        h.putInt(ImageHeaderDescriptor.TABLE_CRC_OFFSET, (int) crc.getValue());
        h.putInt(ImageHeaderDescriptor.CRC_OFFSET, ImageHeaderDescriptor.crc(out));
        return out;
    }
}
