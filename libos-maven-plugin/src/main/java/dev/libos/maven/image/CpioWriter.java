package dev.libos.maven.image;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a cpio newc archive ({@link CpioNewc}) deterministically: entries in path order, inode
 * numbers counted from a given base in that order, and every owner, group and mtime 0, so the
 * same entries always give the same bytes.
 */
public final class CpioWriter {
    private final long firstInode;

    /**
     * @param firstInode inode number of the first entry; archives that are concatenated into one
     *                   initramfs use disjoint ranges
     */
    public CpioWriter(long firstInode) {
        if (firstInode < 1 || firstInode > 0xffff_ffffL) {
            throw new IllegalArgumentException("firstInode out of range: " + firstInode);
        }
        this.firstInode = firstInode;
    }

    /** Writes {@code entries} (any order; duplicates rejected) and the trailer to {@code out}. */
    public void write(List<CpioEntry> entries, OutputStream out) throws IOException {
        List<CpioEntry> sorted = new ArrayList<>(entries);
        sorted.sort(null);
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).path().equals(sorted.get(i - 1).path())) {
                throw new IllegalArgumentException("duplicate cpio path: " + sorted.get(i).path());
            }
        }
        long inode = firstInode;
        for (CpioEntry entry : sorted) {
            long size = entry.content().size();
            writeHeader(out, inode++, entry.mode(), 1, size, entry.rdevMajor(), entry.rdevMinor(), entry.path());
            entry.content().writeTo(out);
            out.write(new byte[CpioNewc.padding(size)]);
        }
        writeHeader(out, 0, 0, 1, 0, 0, 0, CpioNewc.TRAILER);
    }

    private static void writeHeader(OutputStream out, long inode, int mode, int links, long size,
                                     int rdevMajor, int rdevMinor, String name) throws IOException {
        if (size > 0xffff_ffffL) {
            throw new IllegalArgumentException("cpio newc cannot hold a file over 4 GiB: " + name);
        }
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        StringBuilder header = new StringBuilder(CpioNewc.HEADER_BYTES).append(CpioNewc.MAGIC);
        long[] fields = {inode, mode, 0, 0, links, 0, size, 0, 0, rdevMajor, rdevMinor, nameBytes.length + 1, 0};
        for (long field : fields) {
            header.append(String.format("%08x", field));
        }
        out.write(header.toString().getBytes(StandardCharsets.US_ASCII));
        out.write(nameBytes);
        out.write(0);
        out.write(new byte[CpioNewc.padding(CpioNewc.HEADER_BYTES + nameBytes.length + 1L)]);
    }
}
