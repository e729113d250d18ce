package example.kv;

/** One write: its position in the log, its key and its value. */
public record LogEntry(long seq, String key, String value) {
}
