package example.kv;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * An append-only log file of {@link LogEntry}s. Each record is
 * {@code length(4) crc32c(4) seq(8) keyLength(2) key valueLength(2) value}; at open, the log is
 * read up to the first record that is incomplete or fails its checksum (the tail a crash tore
 * off), and the file is cut there so new records follow the last good one.
 */
public final class DurableLog implements AutoCloseable {
    private static final int HEADER = 8;
    private static final int MAX_RECORD = 1 << 16;

    private final FileChannel channel;
    private final List<LogEntry> entries;

    private DurableLog(FileChannel channel, List<LogEntry> entries) {
        this.channel = channel;
        this.entries = entries;
    }

    /** Opens (or creates) the log at {@code file} and reads its good records. */
    public static DurableLog open(Path file) throws IOException {
        List<LogEntry> entries = new ArrayList<>();
        long good = readGood(file, entries);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        channel.truncate(good);
        channel.position(good);
        return new DurableLog(channel, entries);
    }

    /** The good records of the log at {@code file} (none if it does not exist), without changing the file. */
    public static List<LogEntry> read(Path file) throws IOException {
        List<LogEntry> entries = new ArrayList<>();
        readGood(file, entries);
        return entries;
    }

    /** Adds the good records of {@code file} to {@code entries}; returns the length they take. */
    private static long readGood(Path file, List<LogEntry> entries) throws IOException {
        long good = 0;
        if (!Files.exists(file)) {
            return good;
        }
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file));
        while (in.remaining() >= HEADER) {
            int length = in.getInt();
            int crc = in.getInt();
            if (length < 12 || length > MAX_RECORD || length > in.remaining()) {
                break;
            }
            byte[] body = new byte[length];
            in.get(body);
            CRC32C check = new CRC32C();
            check.update(body);
            if ((int) check.getValue() != crc) {
                break;
            }
            LogEntry entry = decode(ByteBuffer.wrap(body));
            if (entry == null) {
                break;
            }
            entries.add(entry);
            good = in.position();
        }
        return good;
    }

    private static LogEntry decode(ByteBuffer body) {
        long seq = body.getLong();
        int keyLength = body.getShort() & 0xFFFF;
        if (keyLength + 2 > body.remaining()) {
            return null;
        }
        byte[] key = new byte[keyLength];
        body.get(key);
        int valueLength = body.getShort() & 0xFFFF;
        if (valueLength != body.remaining()) {
            return null;
        }
        byte[] value = new byte[valueLength];
        body.get(value);
        return new LogEntry(seq, new String(key, StandardCharsets.UTF_8), new String(value, StandardCharsets.UTF_8));
    }

    /** Appends {@code entry}; durable only after {@link #sync()}. */
    public synchronized void append(LogEntry entry) throws IOException {
        ByteArrayOutputStream bodyBytes = new ByteArrayOutputStream();
        DataOutputStream body = new DataOutputStream(bodyBytes);
        byte[] key = entry.key().getBytes(StandardCharsets.UTF_8);
        byte[] value = entry.value().getBytes(StandardCharsets.UTF_8);
        body.writeLong(entry.seq());
        body.writeShort(key.length);
        body.write(key);
        body.writeShort(value.length);
        body.write(value);
        byte[] b = bodyBytes.toByteArray();
        CRC32C crc = new CRC32C();
        crc.update(b);
        ByteBuffer record = ByteBuffer.allocate(HEADER + b.length);
        record.putInt(b.length).putInt((int) crc.getValue()).put(b).flip();
        while (record.hasRemaining()) {
            channel.write(record);
        }
        entries.add(entry);
    }

    /** Makes every appended record durable (fsync). */
    public void sync() throws IOException {
        channel.force(true);
    }

    /** The last sequence number in the log, 0 when empty. */
    public synchronized long lastSeq() {
        return entries.isEmpty() ? 0 : entries.getLast().seq();
    }

    /** The entries with a sequence number above {@code seq}, in order. */
    public synchronized List<LogEntry> after(long seq) {
        List<LogEntry> out = new ArrayList<>();
        for (LogEntry e : entries) {
            if (e.seq() > seq) {
                out.add(e);
            }
        }
        return out;
    }

    /** Every entry read or appended. */
    public synchronized List<LogEntry> entries() {
        return List.copyOf(entries);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
