package example.kv;

import java.nio.charset.StandardCharsets;

/** Decimal integers as RESP arguments and values carry them. */
final class RespNumbers {
    private RespNumbers() {
    }

    /**
     * The 64-bit integer {@code bytes} spell, or null: an optional '-', then 1-19 digits without
     * a leading zero ("0" alone is fine, "-0" is not), nothing else; as Redis's string2ll.
     */
    static Long parseLong(byte[] bytes) {
        int length = bytes.length;
        if (length == 0 || length > 20) {
            return null;
        }
        boolean negative = bytes[0] == '-';
        int first = negative ? 1 : 0;
        if (first == length || (bytes[first] == '0' && (length - first > 1 || negative))) {
            return null;
        }
        // Accumulate negatively: Long.MIN_VALUE has no positive counterpart.
        long value = 0;
        for (int i = first; i < length; i++) {
            int digit = bytes[i] - '0';
            if (digit < 0 || digit > 9 || value < (Long.MIN_VALUE + digit) / 10) {
                return null;
            }
            value = value * 10 - digit;
        }
        if (negative) {
            return value;
        }
        return value == Long.MIN_VALUE ? null : -value;
    }

    /** {@code value} in decimal ASCII. */
    static byte[] ascii(long value) {
        return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }
}
