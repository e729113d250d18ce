package example.kv;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/** Writes RESP2 replies into a buffer. */
final class RespReplies {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] OK = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL_BULK = "$-1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ZERO = ":0\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ONE = ":1\r\n".getBytes(StandardCharsets.US_ASCII);

    private RespReplies() {
    }

    static void ok(ByteBuf out) {
        out.writeBytes(OK);
    }

    static void simple(ByteBuf out, String text) {
        out.writeByte('+');
        writeLine(out, text);
    }

    /** An error reply; CR and LF in {@code message} become spaces, so it stays one line (as Redis does). */
    static void error(ByteBuf out, String message) {
        out.writeByte('-');
        writeLine(out, message);
    }

    static void integer(ByteBuf out, long value) {
        if (value == 0 || value == 1) {
            out.writeBytes(value == 0 ? ZERO : ONE);
            return;
        }
        out.writeByte(':');
        writeDecimal(out, value);
        out.writeBytes(CRLF);
    }

    /** A bulk string, or the null bulk string for null. */
    static void bulk(ByteBuf out, byte[] value) {
        if (value == null) {
            out.writeBytes(NULL_BULK);
            return;
        }
        out.writeByte('$');
        writeDecimal(out, value.length);
        out.writeBytes(CRLF);
        out.writeBytes(value);
        out.writeBytes(CRLF);
    }

    static void nullBulk(ByteBuf out) {
        out.writeBytes(NULL_BULK);
    }

    static void arrayHeader(ByteBuf out, int count) {
        out.writeByte('*');
        writeDecimal(out, count);
        out.writeBytes(CRLF);
    }

    private static void writeLine(ByteBuf out, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.writeByte(c == '\r' || c == '\n' ? ' ' : c);
        }
        out.writeBytes(CRLF);
    }

    private static void writeDecimal(ByteBuf out, long value) {
        if (value >= 0 && value < 10) {
            out.writeByte('0' + (int) value);
        } else {
            out.writeCharSequence(Long.toString(value), StandardCharsets.US_ASCII);
        }
    }
}
