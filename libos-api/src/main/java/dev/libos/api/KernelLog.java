package dev.libos.api;

import java.util.List;

/** The kernel log: everything libos logs goes to SLF4J and into an in-memory ring readable here. */
public interface KernelLog {
    /** The most recent entries, oldest first (at most the ring's capacity). */
    List<Entry> recent();

    /** Entries written since boot, including those the ring has overwritten. */
    long written();

    /**
     * One log entry.
     *
     * @param timeNanos libos clock when it was written
     * @param level TRACE, DEBUG, INFO, WARN or ERROR
     * @param source the logger's name
     * @param message the formatted message
     */
    record Entry(long timeNanos, String level, String source, String message) {
        @Override
        public String toString() {
            return String.format("%d.%06d %-5s %s: %s", timeNanos / 1_000_000_000L,
                    (timeNanos / 1000) % 1_000_000, level, source, message);
        }
    }
}
