package dev.libos.examples.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A boot counter on the state volume: {@code boot-count} holds the number of the last boot that
 * completed its write, {@code boot-N.txt} a note that boot N left. Each file is fsynced
 * ({@code FileChannel.force}); the counter is written last, so a boot cut short leaves the count
 * of the boot before it.
 */
final class BootCounter {
    static final String COUNTER_FILE = "boot-count";

    /**
     * This boot.
     *
     * @param boot         its number, 1 for the first
     * @param previousNote what the boot before left, or null on the first
     */
    record Boot(int boot, String previousNote) {
    }

    private BootCounter() {
    }

    static String noteFile(int boot) {
        return "boot-" + boot + ".txt";
    }

    /** Reads the count in {@code directory}, writes the next boot's note and count, each synced. */
    static Boot advance(Path directory, String note) throws IOException {
        Path counter = directory.resolve(COUNTER_FILE);
        int previous = Files.exists(counter) ? Integer.parseInt(Files.readString(counter).strip()) : 0;
        String previousNote = previous > 0 ? Files.readString(directory.resolve(noteFile(previous))) : null;
        int boot = previous + 1;
        writeSynced(directory.resolve(noteFile(boot)), note);
        writeSynced(counter, Integer.toString(boot));
        return new Boot(boot, previousNote);
    }

    private static void writeSynced(Path file, String text) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
    }
}
