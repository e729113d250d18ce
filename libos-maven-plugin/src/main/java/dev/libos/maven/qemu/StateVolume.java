package dev.libos.maven.qemu;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The run's writable state volume: a raw file the run goal creates once (sparse: the host pays
 * only for blocks written) and keeps across runs, so what the guest synced to /data is there at
 * the next boot. The guest formats it (cowfs) when it is blank. {@code libos.state.reset=true}
 * replaces it by a blank one; a size change applies only then (the file system inside was made
 * for the old size).
 */
public final class StateVolume {
    /** What {@link #prepare} did. */
    public enum Outcome { CREATED, KEPT, RECREATED }

    private static final Pattern SIZE = Pattern.compile("([1-9][0-9]{0,6})([MG])");
    private static final long MAX_BYTES = 1L << 40;

    private StateVolume() {
    }

    /**
     * Parses a size like {@code 64M} or {@code 2G}, 1M to 1024G.
     *
     * @throws IllegalArgumentException naming {@code setting} and the value
     */
    public static long parseSize(String setting, String text) {
        Matcher m = text == null ? null : SIZE.matcher(text.trim());
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException(setting + " must be a size like 64M or 2G (got '" + text + "')");
        }
        long bytes = Long.parseLong(m.group(1)) << (m.group(2).equals("G") ? 30 : 20);
        if (bytes > MAX_BYTES) {
            throw new IllegalArgumentException(setting + " must be at most 1024G (got '" + text + "')");
        }
        return bytes;
    }

    /**
     * Makes sure {@code file} exists: creates it blank with {@code sizeBytes} when missing or when
     * {@code reset}; otherwise keeps it whatever its size, telling {@code warnings} when the size
     * differs from {@code sizeBytes}.
     */
    public static Outcome prepare(Path file, long sizeBytes, boolean reset, Consumer<String> warnings) throws IOException {
        boolean existed = Files.exists(file);
        if (existed && !reset) {
            if (!Files.isRegularFile(file)) {
                throw new IOException("state volume " + file + " is not a regular file");
            }
            long size = Files.size(file);
            if (size != sizeBytes) {
                warnings.accept("state volume " + file + " is " + size + " bytes, not the " + sizeBytes
                        + " configured: kept as it is (-Dlibos.state.reset=true makes a new one of the configured size, losing its data)");
            }
            return Outcome.KEPT;
        }
        Files.deleteIfExists(file);
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            raw.setLength(sizeBytes);
        }
        return existed ? Outcome.RECREATED : Outcome.CREATED;
    }
}
