package dev.libos.maven.image;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;

/**
 * Writes a cpio newc archive ({@link CpioNewc}) deterministically: entries in path order, inode
 * numbers counted from a given base in that order, and every owner, group and mtime 0, so the
 * same entries always give the same bytes.
 *
 * <p>The archive format is commons-compress's {@link CpioArchiveOutputStream}; what makes it
 * deterministic is decided here: the order, and every header field set explicitly (left unset,
 * commons-compress would stamp the current time as mtime). A block size of
 * {@value CpioNewc#ALIGNMENT} keeps the archive unpadded after the trailer, as the kernel needs
 * nothing more. {@code CpioWriterTest} checks the bytes against the layout field by field.
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

    /**
     * Writes {@code entries} (any order; duplicates rejected) and the trailer to {@code out},
     * which stays open.
     */
    public void write(List<CpioEntry> entries, OutputStream out) throws IOException {
        List<CpioEntry> sorted = new ArrayList<>(entries);
        sorted.sort(null);
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).path().equals(sorted.get(i - 1).path())) {
                throw new IllegalArgumentException("duplicate cpio path: " + sorted.get(i).path());
            }
        }
        // Not closed: closing would close out; finish() writes the trailer.
        CpioArchiveOutputStream cpio = new CpioArchiveOutputStream(new UnclosedOutputStream(out),
                CpioConstants.FORMAT_NEW, CpioNewc.ALIGNMENT, StandardCharsets.UTF_8.name());
        long inode = firstInode;
        for (CpioEntry entry : sorted) {
            long size = entry.content().size();
            if (size > 0xffff_ffffL) {
                throw new IllegalArgumentException("cpio newc cannot hold a file over 4 GiB: " + entry.path());
            }
            cpio.putArchiveEntry(header(entry, inode++, size));
            entry.content().writeTo(cpio);
            cpio.closeArchiveEntry();
        }
        cpio.finish();
    }

    private static CpioArchiveEntry header(CpioEntry entry, long inode, long size) {
        CpioArchiveEntry header = new CpioArchiveEntry(CpioConstants.FORMAT_NEW, entry.path(), size);
        header.setInode(inode);
        header.setMode(entry.mode());
        header.setUID(0);
        header.setGID(0);
        header.setNumberOfLinks(1);
        header.setTime(0);
        header.setDeviceMaj(0);
        header.setDeviceMin(0);
        header.setRemoteDeviceMaj(entry.rdevMajor());
        header.setRemoteDeviceMin(entry.rdevMinor());
        return header;
    }

    /** Passes writes on and ignores close, so the archive stream never closes its caller's stream. */
    private static final class UnclosedOutputStream extends java.io.FilterOutputStream {
        UnclosedOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
