package dev.libos.maven.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes a raw disk as a fixed VHD (Microsoft "Virtual Hard Disk Image Format Specification"
 * 1.0): the disk's bytes, zero-padded to a whole MiB as Azure requires of the virtual size, then
 * a 512-byte big-endian footer: cookie "conectix", fixed disk type, sizes, CHS geometry (the
 * spec's appendix algorithm), a one's-complement checksum, a unique id derived from the disk's
 * digest, and timestamp 0 (2000-01-01) so that equal disks give equal files. The creator
 * application is not "vpc " or "qemu", so readers take the size from the footer, not from CHS.
 */
public final class VhdWriter {
    static final int MIB = 1 << 20;
    static final int FOOTER = 512;
    static final int DISK_TYPE_FIXED = 2;

    private VhdWriter() {
    }

    /** The virtual size of the VHD of a disk of {@code rawBytes}: rounded up to a whole MiB. */
    public static long virtualSize(long rawBytes) {
        return Math.ceilDiv(rawBytes, MIB) * MIB;
    }

    /**
     * Writes {@code raw} as a fixed VHD to {@code out} (replaced). Zero MiBs are skipped, not
     * written, so the file is as sparse on the host as the raw disk.
     */
    public static void write(Path raw, Path out) throws IOException {
        RawDisk disk = RawDisk.open(raw);
        long size = virtualSize(disk.size());
        RawDisk.Scan scan = disk.scan(MIB);
        disk.copySparse(scan.nonZero(), MIB, out, size);
        try (FileChannel channel = FileChannel.open(out, StandardOpenOption.WRITE)) {
            ByteBuffer footer = ByteBuffer.wrap(footer(size, scan.identity()));
            while (footer.hasRemaining()) {
                channel.write(footer, size + footer.position());
            }
        }
    }

    /** The hard disk footer. */
    static byte[] footer(long size, byte[] digest) {
        ByteBuffer footer = ByteBuffer.allocate(FOOTER);
        footer.put("conectix".getBytes(StandardCharsets.US_ASCII))
                .putInt(2)                      // features: reserved bit, always set
                .putInt(0x00010000)             // format version 1.0
                .putLong(-1L)                   // data offset: none for a fixed disk
                .putInt(0)                      // timestamp: 2000-01-01 00:00:00 UTC
                .put("lbos".getBytes(StandardCharsets.US_ASCII))
                .putInt(0x00010000)             // creator version
                .put("Wi2k".getBytes(StandardCharsets.US_ASCII)) // creator host OS
                .putLong(size).putLong(size)    // original and current size
                .putInt(geometry(size))
                .putInt(DISK_TYPE_FIXED)
                .putInt(0)                      // checksum, below
                .put(RawDisk.derivedUuid(digest, "vhd"))
                .put((byte) 0);                 // saved state: no
        int sum = 0;
        for (byte b : footer.array()) {
            sum += b & 0xff;
        }
        footer.putInt(64, ~sum);
        return footer.array();
    }

    /** CHS geometry as cylinders(16) heads(8) sectors(8), by the spec's appendix algorithm. */
    static int geometry(long size) {
        long totalSectors = Math.min(size / RawDisk.SECTOR, 65535L * 16 * 255);
        long sectorsPerTrack;
        long heads;
        long cylinderTimesHeads;
        if (totalSectors >= 65535L * 16 * 63) {
            sectorsPerTrack = 255;
            heads = 16;
            cylinderTimesHeads = totalSectors / sectorsPerTrack;
        } else {
            sectorsPerTrack = 17;
            cylinderTimesHeads = totalSectors / sectorsPerTrack;
            heads = (cylinderTimesHeads + 1023) / 1024;
            if (heads < 4) {
                heads = 4;
            }
            if (cylinderTimesHeads >= heads * 1024 || heads > 16) {
                sectorsPerTrack = 31;
                heads = 16;
                cylinderTimesHeads = totalSectors / sectorsPerTrack;
            }
            if (cylinderTimesHeads >= heads * 1024) {
                sectorsPerTrack = 63;
                heads = 16;
                cylinderTimesHeads = totalSectors / sectorsPerTrack;
            }
        }
        long cylinders = cylinderTimesHeads / heads;
        return (int) (cylinders << 16 | heads << 8 | sectorsPerTrack);
    }
}
