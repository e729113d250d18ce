package dev.libos.maven.aot;

import dev.libos.maven.image.DeterministicGzip;
import dev.libos.maven.image.RuntimeImage;
import dev.libos.maven.image.SegmentWriter;
import dev.libos.maven.image.Sha256;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.GZIPInputStream;

/**
 * The runtime segment of an image that boots with an AOT cache: the runtime's own CDS archive
 * ({@value #CDS_ARCHIVE}, 13 MB unpacked) left out. A JVM started with {@code -XX:AOTCache} maps
 * that cache instead of the default archive and never opens it, yet the kernel would unpack it at
 * every boot (seconds under TCG). Every other record is copied byte for byte (inode numbers
 * included) and compressed as {@link SegmentWriter} does; the result is cached next to the AOT
 * caches, keyed by the runtime segment's digest.
 */
public final class RuntimeWithoutCds {
    /** The runtime's default CDS archive in the guest. */
    public static final String CDS_ARCHIVE = "jvm/lib/server/classes.jsa";
    private static final String TRAILER = "TRAILER!!!";

    private RuntimeWithoutCds() {
    }

    /** The runtime segment without its CDS archive, made now or found under {@code directory}. */
    public static RuntimeImage.Segment of(RuntimeImage.Segment runtime, Path directory) throws IOException {
        Path target = directory.resolve("runtime-" + Sha256.of(runtime.file()) + "-nocds.cpio.gz");
        Path size = directory.resolve(target.getFileName() + ".unpacked");
        if (Files.isRegularFile(target) && Files.isRegularFile(size)) {
            return new RuntimeImage.Segment(target, Long.parseLong(Files.readString(size).strip()));
        }
        Files.createDirectories(directory);
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        long unpacked;
        try (InputStream in = new BufferedInputStream(new GZIPInputStream(Files.newInputStream(runtime.file()), 1 << 16), 1 << 16);
             OutputStream file = new BufferedOutputStream(Files.newOutputStream(temporary), 1 << 16);
             DeterministicGzip gzip = new DeterministicGzip(file, SegmentWriter.GZIP_LEVEL)) {
            unpacked = copyWithout(in, gzip, CDS_ARCHIVE);
        }
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.writeString(size, Long.toString(unpacked));
        return new RuntimeImage.Segment(target, unpacked);
    }

    /**
     * Copies a newc cpio archive record by record, leaving out the record named {@code dropped},
     * and after the trailer whatever padding follows it.
     *
     * @return the bytes written
     */
    static long copyWithout(InputStream in, OutputStream out, String dropped) throws IOException {
        long written = 0;
        while (true) {
            byte[] header = in.readNBytes(110);
            if (header.length < 110) {
                throw new EOFException("runtime segment ends without a cpio trailer");
            }
            String text = new String(header, StandardCharsets.US_ASCII);
            if (!text.startsWith("070701")) {
                throw new IOException("runtime segment: not a newc cpio header after " + written + " bytes");
            }
            long size = Long.parseLong(text.substring(54, 62), 16);
            int nameSize = Integer.parseInt(text.substring(94, 102), 16);
            if (nameSize <= 0 || nameSize > 4096) {
                throw new IOException("runtime segment: bad name size " + nameSize);
            }
            byte[] rest = in.readNBytes(Math.toIntExact(nameSize + pad(110 + nameSize) + size + pad(size)));
            if (rest.length != nameSize + pad(110 + nameSize) + size + pad(size)) {
                throw new EOFException("runtime segment: cpio record truncated");
            }
            String name = new String(rest, 0, nameSize - 1, StandardCharsets.UTF_8);
            if (!name.equals(dropped)) {
                out.write(header);
                out.write(rest);
                written += header.length + rest.length;
            }
            if (name.equals(TRAILER)) {
                written += in.transferTo(out);
                return written;
            }
        }
    }

    private static long pad(long length) {
        return (4 - length % 4) % 4;
    }
}
