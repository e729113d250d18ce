package example.kv;

/**
 * What one client may send, checked by {@link RespDecoder} before anything is reserved for it:
 * the declared length of a bulk string, the declared argument count of a command, the length of
 * a line (an inline command or a {@code *}/{@code $} header line) and the declared size of all
 * the bulk strings of one command. A request over a limit is refused with a protocol error and
 * its connection is closed; other connections are not affected.
 *
 * @param maxBulkBytes the largest bulk string (Redis: {@code proto-max-bulk-len}, 512 MiB)
 * @param maxArguments the most arguments in one command
 * @param maxLineBytes the longest line, CRLF excluded (Redis: {@code PROTO_INLINE_MAX_SIZE}, 64 KiB)
 * @param maxCommandBytes the most bulk-string bytes one command may declare in all (Redis:
 *        {@code client-query-buffer-limit}, 1 GiB)
 */
public record RespLimits(long maxBulkBytes, int maxArguments, int maxLineBytes, long maxCommandBytes) {
    /** A Java array holds at most this many bytes on every current JVM. */
    static final long LARGEST_ARRAY_BYTES = Integer.MAX_VALUE - 8;

    /** Redis's defaults; at most 1 Mi arguments per command. */
    public static final RespLimits DEFAULTS = new RespLimits(512L << 20, 1 << 20, 64 << 10, 1L << 30);

    /**
     * {@link #DEFAULTS}, with the bulk string limit lowered to an eighth of the largest heap and
     * the command limit to a quarter of it when those are smaller: Redis's 512 MiB does not fit
     * the heap of a small VM (512 MiB of memory by default), and one client must not be able to
     * exhaust it alone.
     */
    public static RespLimits forHeap(long maxHeapBytes) {
        long bulk = Math.min(DEFAULTS.maxBulkBytes, Math.max(1 << 20, maxHeapBytes / 8));
        long command = Math.min(DEFAULTS.maxCommandBytes, Math.max(bulk, maxHeapBytes / 4));
        return new RespLimits(bulk, DEFAULTS.maxArguments, DEFAULTS.maxLineBytes, command);
    }

    /**
     * @throws IllegalArgumentException naming the setting and its value when one is out of range
     */
    public RespLimits {
        check("kv.maxBulkBytes", maxBulkBytes, 0, LARGEST_ARRAY_BYTES);
        check("kv.maxArguments", maxArguments, 1, Integer.MAX_VALUE);
        check("kv.maxLineBytes", maxLineBytes, 16, Integer.MAX_VALUE - 2);
        check("kv.maxCommandBytes", maxCommandBytes, maxBulkBytes, Long.MAX_VALUE);
    }

    /**
     * {@link #forHeap} of this JVM's heap, each limit replaced by its system property when set:
     * {@code kv.maxBulkBytes}, {@code kv.maxArguments}, {@code kv.maxLineBytes},
     * {@code kv.maxCommandBytes}.
     *
     * @throws IllegalArgumentException naming the property when a value is not a number or out of range
     */
    public static RespLimits fromSystemProperties() {
        RespLimits defaults = forHeap(Runtime.getRuntime().maxMemory());
        long bulk = property("kv.maxBulkBytes", defaults.maxBulkBytes);
        return new RespLimits(bulk,
                (int) Math.min(Integer.MAX_VALUE, property("kv.maxArguments", defaults.maxArguments)),
                (int) Math.min(Integer.MAX_VALUE, property("kv.maxLineBytes", defaults.maxLineBytes)),
                property("kv.maxCommandBytes", Math.max(bulk, defaults.maxCommandBytes)));
    }

    private static long property(String name, long defaultValue) {
        String value = System.getProperty(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + name + "=" + value + " is not a whole number", e);
        }
    }

    private static void check(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + "=" + value + " is out of range [" + min + ", " + max + "]");
        }
    }
}
