package dev.libos.maven.image;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * A gzip stream whose bytes depend only on its input: the JDK writes a fixed header (no name,
 * mtime 0, no OS-dependent fields) and the deflate output is a function of input and level.
 */
public final class DeterministicGzip extends GZIPOutputStream {
    /**
     * @param out   where the compressed stream goes (not closed by {@link #finish()})
     * @param level deflate level 1 (fastest) to 9 (smallest)
     */
    public DeterministicGzip(OutputStream out, int level) throws IOException {
        super(out, 1 << 16);
        if (level < Deflater.BEST_SPEED || level > Deflater.BEST_COMPRESSION) {
            throw new IllegalArgumentException("gzip level must be 1-9: " + level);
        }
        def.setLevel(level);
    }
}
