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
import java.util.BitSet;

/**
 * Writes a raw disk as a dynamic VirtualBox VDI, version 1.1 (VirtualBox's VDICore.h, the layout
 * QEMU's block/vdi.c also reads), little-endian:
 * <pre>
 *   0      pre-header: 64 bytes of text, signature 0xbeda107f, version 1.1
 *   72     header (0x190 bytes): type dynamic, offsets of block map and data, disk size,
 *          1 MiB blocks, block counts, creation/modification UUIDs (derived from the disk's digest)
 *   512    block map: one u32 per 1 MiB block, its index in the data area, or 0xffffffff (zeros)
 *   1 MiB  data: the non-zero blocks in virtual order
 * </pre>
 */
public final class VdiWriter {
    static final String TEXT = "<<< Oracle VM VirtualBox Disk Image >>>\n";
    static final int SIGNATURE = 0xbeda107f;
    static final int VERSION = 0x00010001;
    static final int HEADER_SIZE = 0x190;
    static final int TYPE_DYNAMIC = 1;
    static final int BLOCK = 1 << 20;
    static final int BLOCK_MAP_OFFSET = 512;
    static final int UNALLOCATED = 0xffffffff;

    private VdiWriter() {
    }

    /** Writes {@code raw} as a dynamic VDI to {@code out} (replaced). */
    public static void write(Path raw, Path out) throws IOException {
        RawDisk disk = RawDisk.open(raw);
        RawDisk.Scan scan = disk.scan(BLOCK);
        BitSet data = scan.nonZero();
        long blocks = disk.chunks(BLOCK);
        if (blocks > 0x7fff_ffffL) {
            throw new IllegalArgumentException("raw disk " + raw + " is too large for a VDI");
        }
        long dataOffset = Math.ceilDiv(BLOCK_MAP_OFFSET + blocks * 4, BLOCK) * BLOCK;
        if (dataOffset > 0xffff_ffffL) {
            throw new IllegalArgumentException("raw disk " + raw + " is too large for a VDI");
        }
        ByteBuffer head = ByteBuffer.allocate(Math.toIntExact(dataOffset)).order(ByteOrder.LITTLE_ENDIAN);
        head.put(TEXT.getBytes(StandardCharsets.US_ASCII)).position(64);
        head.putInt(SIGNATURE).putInt(VERSION);
        head.putInt(HEADER_SIZE).putInt(TYPE_DYNAMIC).putInt(0);    // size, type, flags
        head.put("libos".getBytes(StandardCharsets.US_ASCII)).position(84 + 256); // comment
        head.putInt(BLOCK_MAP_OFFSET).putInt((int) dataOffset);
        head.putInt(0).putInt(0).putInt(0).putInt(RawDisk.SECTOR);  // legacy geometry: none, 512-byte sectors
        head.putInt(0);                                              // unused
        head.putLong(disk.size()).putInt(BLOCK).putInt(0);           // disk bytes, block bytes, extra bytes per block
        head.putInt((int) blocks).putInt(data.cardinality());
        head.put(RawDisk.derivedUuid(scan.identity(), "vdi image"));
        head.put(RawDisk.derivedUuid(scan.identity(), "vdi modification"));
        head.put(new byte[16]).put(new byte[16]);                    // no linkage, no parent
        head.put(new byte[16]);                                      // LCHS geometry: let VirtualBox choose
        head.position(BLOCK_MAP_OFFSET);
        int next = 0;
        for (int i = 0; i < blocks; i++) {
            head.putInt(data.get(i) ? next++ : UNALLOCATED);
        }
        byte[] block = new byte[BLOCK];
        try (OutputStream stream = new BufferedOutputStream(Files.newOutputStream(out), 1 << 20);
             FileChannel channel = disk.openChannel()) {
            stream.write(head.array());
            for (int index = data.nextSetBit(0); index >= 0; index = data.nextSetBit(index + 1)) {
                disk.read(channel, index, block);
                stream.write(block);
            }
        }
    }
}
