package dev.libos.core.sched;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.util.function.LongSupplier;

/**
 * How long the calling host thread has waited, runnable, for a host core: the second field
 * ({@code run_delay}, nanoseconds) of Linux's {@code /proc/thread-self/schedstat}. It grows only
 * while another task holds the core the thread wants, so it measures exactly the contention the
 * idle policy must yield to. Opened by the thread it measures (the path names the opener) and
 * read by that thread only. Where the file is missing or unreadable (not Linux, no schedstats)
 * the probe answers {@link #UNKNOWN} and the policy falls back to the gaps it sees while polling.
 */
final class RunDelayProbe implements LongSupplier {
    /** The answer when the host does not say. */
    static final long UNKNOWN = -1;
    private static final String PATH = "/proc/thread-self/schedstat";

    private final byte[] buffer = new byte[96];
    private RandomAccessFile file;
    private boolean broken;

    @Override
    public long getAsLong() {
        if (broken) {
            return UNKNOWN;
        }
        try {
            if (file == null) {
                file = new RandomAccessFile(PATH, "r");
            }
            file.seek(0);
            int n = file.read(buffer);
            return n <= 0 ? fail() : secondField(buffer, n);
        } catch (IOException | RuntimeException e) {
            return fail();
        }
    }

    private long fail() {
        broken = true;
        close();
        return UNKNOWN;
    }

    /**
     * The second space-separated decimal field of {@code text}, or {@link #UNKNOWN} when there is
     * none or it does not fit a long (a malformed file is not trusted).
     */
    static long secondField(byte[] text, int length) {
        int i = 0;
        while (i < length && text[i] != ' ') {
            i++;
        }
        i++;
        long value = 0;
        int digits = 0;
        for (; i < length && text[i] >= '0' && text[i] <= '9'; i++, digits++) {
            if (value > (Long.MAX_VALUE - 9) / 10) {
                return UNKNOWN;
            }
            value = value * 10 + (text[i] - '0');
        }
        return digits == 0 ? UNKNOWN : value;
    }

    static long secondField(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        return secondField(bytes, bytes.length);
    }

    void close() {
        if (file != null) {
            try {
                file.close();
            } catch (IOException ignored) {
                // read-only procfs file: nothing was buffered, nothing to lose
            }
            file = null;
        }
    }
}
