package dev.libos.maven.qemu;

import dev.libos.maven.disk.SparseCopy;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Byte ranges in and out of a qcow2 file through QEMU's own tools (Debian qemu-utils): qcow2 keeps
 * guest data in clusters found through its L1/L2 tables, so a range is written with
 * {@code qemu-io write -s FILE} and read from a {@code qemu-img convert}ed copy, never by offset in the file.
 */
final class QemuImageTools {
    /** Offsets and lengths the qcow2 run takes are whole MiB (partitions are MiB-aligned). */
    static final long BLOCK = 1L << 20;
    private static final long TIMEOUT_SECONDS = 300;

    private QemuImageTools() {
    }

    /** Writes {@code length} bytes of {@code source} (from its start) at {@code offset} of the guest disk in {@code qcow2}. */
    static void writeAt(Path qcow2, Path source, long offset, long length) throws IOException {
        // qemu-io splits its command at blanks and would take a path with one as two words.
        requireNoBlank(source);
        run(List.of("qemu-io", "-f", "qcow2", "-c", "write -q -s " + source.toAbsolutePath() + " " + offset + " " + length,
                qcow2.toAbsolutePath().toString()));
    }

    /**
     * Replaces {@code target} by {@code length} bytes of the guest disk in {@code qcow2} from
     * {@code offset}. The disk is converted whole to a sparse raw file first: {@code qemu-img dd}'s
     * {@code count} counts from the start of the input rather than from {@code skip} in QEMU 7.2
     * (Debian 12), a meaning later versions changed.
     */
    static void readInto(Path qcow2, long offset, long length, Path target) throws IOException {
        Path raw = target.resolveSibling(target.getFileName() + ".disk.raw");
        Path partial = target.resolveSibling(target.getFileName() + ".part");
        try {
            Files.deleteIfExists(raw);
            run(List.of("qemu-img", "convert", "-f", "qcow2", "-O", "raw", qcow2.toAbsolutePath().toString(), raw.toAbsolutePath().toString()));
            Files.deleteIfExists(partial);
            try (RandomAccessFile file = new RandomAccessFile(partial.toFile(), "rw")) {
                file.setLength(length);
            }
            try (FileChannel from = FileChannel.open(raw); FileChannel to = FileChannel.open(partial, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                if (from.size() < offset + length) {
                    throw new IOException(qcow2 + " holds " + from.size() + " bytes, fewer than " + (offset + length));
                }
                SparseCopy.copy(from, offset, to, 0, length);
                to.force(true);
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(raw);
            Files.deleteIfExists(partial);
        }
    }

    private static void requireNoBlank(Path path) {
        if (path.toAbsolutePath().toString().chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("libos.state: qemu-io cannot take a path with blanks (" + path + ")");
        }
    }

    private static void run(List<String> command) throws IOException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException(command.get(0) + " not found: install Debian's qemu-utils (apt-get install qemu-utils)", e);
        }
        try {
            String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + ": no exit after " + TIMEOUT_SECONDS + " s");
            }
            // qemu-io reports a failed command on its output but exits 0: any output of a quiet write is an error.
            if (process.exitValue() != 0 || (command.get(0).equals("qemu-io") && !output.isEmpty())) {
                throw new IOException(String.join(" ", command) + " failed (status " + process.exitValue() + "): " + output);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
    }
}
