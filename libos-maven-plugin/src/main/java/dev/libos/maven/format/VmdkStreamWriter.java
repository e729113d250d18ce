package dev.libos.maven.format;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.zip.Deflater;

/**
 * Writes a raw disk as a stream-optimized VMDK (VMware "Virtual Disk Format 1.1", sections on the
 * hosted sparse extent and stream-optimized compressed sparse extents), the format OVA packages
 * carry and vSphere imports. One sequential pass, everything little-endian, counted in sectors:
 * <pre>
 *   sector 0         sparse extent header (flags: valid newline test, compressed grains, markers;
 *                    gdOffset = GD_AT_END, the real one is in the footer)
 *   sector 1 ..      the embedded descriptor (text, createType="streamOptimized")
 *   sector 128 ..    grains: per non-zero 64 KiB grain, {lba u64, size u32, zlib data}, sector-padded
 *                    grain tables: per 512 grains, a GT marker then 512 u32 sector offsets (0 = zeros)
 *                    grain directory: a GD marker then one u32 sector offset per grain table
 *                    footer marker, then the header again with the real gdOffset
 *                    end-of-stream marker
 * </pre>
 * Grains are compressed with deflate (zlib wrapper, RFC 1950) at a fixed level, so equal disks give
 * equal files; the descriptor's CID is derived from the disk's digest.
 */
public final class VmdkStreamWriter {
    static final int MAGIC = 0x564d444b; // "KDMV" read little-endian
    static final int VERSION = 3;
    static final int FLAG_VALID_NEWLINE_TEST = 1;
    static final int FLAG_COMPRESSED = 1 << 16;
    static final int FLAG_MARKERS = 1 << 17;
    static final long GRAIN_SECTORS = 128;
    static final int GRAIN_BYTES = (int) (GRAIN_SECTORS * RawDisk.SECTOR);
    static final int GT_ENTRIES = 512;
    static final long GD_AT_END = -1L;
    static final long OVERHEAD_SECTORS = 128;
    static final int COMPRESS_DEFLATE = 1;
    static final int MARKER_EOS = 0;
    static final int MARKER_GT = 1;
    static final int MARKER_GD = 2;
    static final int MARKER_FOOTER = 3;
    static final int DEFLATE_LEVEL = 6;

    private VmdkStreamWriter() {
    }

    /**
     * Writes {@code raw} as a stream-optimized VMDK.
     *
     * @param extentFileName the name the descriptor gives the extent (the file's own name)
     */
    public static void write(Path raw, Path out, String extentFileName) throws IOException {
        RawDisk disk = RawDisk.open(raw);
        long capacitySectors = disk.size() / RawDisk.SECTOR;
        long grains = disk.chunks(GRAIN_BYTES);
        long tables = Math.ceilDiv(grains, GT_ENTRIES);
        RawDisk.Scan scan = disk.scan(GRAIN_BYTES);
        byte[] descriptor = descriptor(capacitySectors, extentFileName, scan.identity());
        long descriptorSectors = Math.ceilDiv(descriptor.length, RawDisk.SECTOR);
        if (1 + descriptorSectors > OVERHEAD_SECTORS) {
            throw new IllegalStateException("VMDK descriptor too long: " + descriptor.length + " bytes");
        }
        long[] grainTable = new long[Math.toIntExact(tables * GT_ENTRIES)];
        try (CountingOutput stream = new CountingOutput(new BufferedOutputStream(Files.newOutputStream(out), 1 << 20));
             FileChannel channel = disk.openChannel()) {
            stream.write(header(capacitySectors, descriptorSectors, GD_AT_END));
            stream.write(descriptor);
            stream.padTo(OVERHEAD_SECTORS * RawDisk.SECTOR);
            byte[] grain = new byte[GRAIN_BYTES];
            byte[] compressed = new byte[GRAIN_BYTES + GRAIN_BYTES / 8 + 64];
            Deflater deflater = new Deflater(DEFLATE_LEVEL);
            try {
                for (int index = scan.nonZero().nextSetBit(0); index >= 0; index = scan.nonZero().nextSetBit(index + 1)) {
                    disk.read(channel, index, grain);
                    deflater.reset();
                    deflater.setInput(grain);
                    deflater.finish();
                    int length = 0;
                    while (!deflater.finished()) {
                        length += deflater.deflate(compressed, length, compressed.length - length);
                        if (length == compressed.length && !deflater.finished()) {
                            compressed = java.util.Arrays.copyOf(compressed, compressed.length * 2);
                        }
                    }
                    grainTable[index] = stream.sector();
                    ByteBuffer grainHeader = little(12);
                    grainHeader.putLong(index * GRAIN_SECTORS).putInt(length);
                    stream.write(grainHeader.array());
                    stream.write(compressed, 0, length);
                    stream.padToSector();
                }
            } finally {
                deflater.end();
            }
            long[] directory = new long[Math.toIntExact(tables)];
            for (int t = 0; t < tables; t++) {
                stream.write(marker(GT_ENTRIES * 4 / RawDisk.SECTOR, MARKER_GT));
                directory[t] = stream.sector();
                ByteBuffer table = little(GT_ENTRIES * 4);
                for (int e = 0; e < GT_ENTRIES; e++) {
                    table.putInt((int) grainTable[t * GT_ENTRIES + e]);
                }
                stream.write(table.array());
            }
            long directorySectors = Math.ceilDiv(tables * 4, RawDisk.SECTOR);
            stream.write(marker(directorySectors, MARKER_GD));
            long gdOffset = stream.sector();
            ByteBuffer gd = little(Math.toIntExact(directorySectors * RawDisk.SECTOR));
            for (long offset : directory) {
                gd.putInt(Math.toIntExact(offset));
            }
            stream.write(gd.array());
            stream.write(marker(1, MARKER_FOOTER));
            stream.write(header(capacitySectors, descriptorSectors, gdOffset));
            stream.write(marker(0, MARKER_EOS));
            if (stream.sector() > 0xffff_ffffL) {
                throw new IllegalArgumentException("raw disk " + raw + " is too large for a VMDK with 32-bit grain offsets");
            }
        }
    }

    /** The sparse extent header (SparseExtentHeader, 512 bytes). */
    static byte[] header(long capacitySectors, long descriptorSectors, long gdOffset) {
        ByteBuffer header = little(RawDisk.SECTOR);
        header.putInt(MAGIC).putInt(VERSION).putInt(FLAG_VALID_NEWLINE_TEST | FLAG_COMPRESSED | FLAG_MARKERS)
                .putLong(capacitySectors).putLong(GRAIN_SECTORS)
                .putLong(1).putLong(descriptorSectors)       // descriptor right after the header
                .putInt(GT_ENTRIES)
                .putLong(0)                                  // no redundant grain directory
                .putLong(gdOffset)
                .putLong(OVERHEAD_SECTORS)
                .put((byte) 0)                               // clean shutdown
                .put((byte) '\n').put((byte) ' ').put((byte) '\r').put((byte) '\n') // newline test
                .putShort((short) COMPRESS_DEFLATE);
        return header.array();
    }

    /** A metadata marker: {numSectors u64, size u32 = 0, type u32}, padded to a sector. */
    static byte[] marker(long sectors, int type) {
        ByteBuffer marker = little(RawDisk.SECTOR);
        marker.putLong(sectors).putInt(0).putInt(type);
        return marker.array();
    }

    /** The embedded descriptor (section "The Descriptor File"). */
    static byte[] descriptor(long capacitySectors, String extentFileName, byte[] diskDigest) {
        if (extentFileName.contains("\"") || extentFileName.contains("\n")) {
            throw new IllegalArgumentException("VMDK extent name must not hold quotes or newlines: " + extentFileName);
        }
        long cylinders = Math.min(65535, capacitySectors / (255 * 63));
        String text = "# Disk DescriptorFile\n"
                + "version=1\n"
                + "CID=" + HexFormat.of().formatHex(diskDigest, 0, 4) + "\n"
                + "parentCID=ffffffff\n"
                + "createType=\"streamOptimized\"\n"
                + "\n"
                + "# Extent description\n"
                + "RW " + capacitySectors + " SPARSE \"" + extentFileName + "\"\n"
                + "\n"
                + "# The Disk Data Base\n"
                + "#DDB\n"
                + "\n"
                + "ddb.virtualHWVersion = \"14\"\n"
                + "ddb.adapterType = \"lsilogic\"\n"
                + "ddb.geometry.cylinders = \"" + cylinders + "\"\n"
                + "ddb.geometry.heads = \"255\"\n"
                + "ddb.geometry.sectors = \"63\"\n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static ByteBuffer little(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** An output stream that knows its position and pads to sectors. */
    private static final class CountingOutput extends java.io.FilterOutputStream {
        private long position;

        CountingOutput(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            position++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            position += len;
        }

        long sector() {
            return position / RawDisk.SECTOR;
        }

        void padTo(long offset) throws IOException {
            while (position < offset) {
                int n = (int) Math.min(RawDisk.SECTOR, offset - position);
                write(new byte[n], 0, n);
            }
        }

        void padToSector() throws IOException {
            padTo(Math.ceilDiv(position, RawDisk.SECTOR) * RawDisk.SECTOR);
        }
    }
}
