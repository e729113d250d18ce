package example.kv;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits an inline command line into words as Redis's {@code sdssplitargs} does: words are
 * separated by white space; a word may be quoted, "double quotes" with the escapes \n \r \t \b
 * \a \\ \" and \xHH, or 'single quotes' with \' only; a closing quote must be followed by white
 * space or the end of the line.
 */
final class InlineSplitter {
    private InlineSplitter() {
    }

    /** The words of {@code [from, to)} of {@code line}, or null when a quote is not closed properly. */
    static List<byte[]> split(ByteBuf line, int from, int to) {
        List<byte[]> words = new ArrayList<>();
        int i = from;
        while (true) {
            while (i < to && isSpace(line.getByte(i))) {
                i++;
            }
            if (i == to) {
                return words;
            }
            ByteArrayOutputStream word = new ByteArrayOutputStream();
            i = readWord(line, i, to, word);
            if (i < 0) {
                return null;
            }
            words.add(word.toByteArray());
        }
    }

    /** Reads one word starting at {@code i} into {@code word}; returns the index after it, or -1 on bad quoting. */
    private static int readWord(ByteBuf line, int i, int to, ByteArrayOutputStream word) {
        boolean inDouble = false;
        boolean inSingle = false;
        while (i < to) {
            byte b = line.getByte(i);
            if (inDouble) {
                if (b == '\\' && i + 3 < to && line.getByte(i + 1) == 'x' && isHex(line.getByte(i + 2))
                        && isHex(line.getByte(i + 3))) {
                    word.write(hex(line.getByte(i + 2)) * 16 + hex(line.getByte(i + 3)));
                    i += 4;
                    continue;
                }
                if (b == '\\' && i + 1 < to) {
                    word.write(unescape(line.getByte(i + 1)));
                    i += 2;
                    continue;
                }
                if (b == '"') {
                    // The closing quote must end the word.
                    return i + 1 == to || isSpace(line.getByte(i + 1)) ? i + 1 : -1;
                }
                word.write(b);
            } else if (inSingle) {
                if (b == '\\' && i + 1 < to && line.getByte(i + 1) == '\'') {
                    word.write('\'');
                    i += 2;
                    continue;
                }
                if (b == '\'') {
                    return i + 1 == to || isSpace(line.getByte(i + 1)) ? i + 1 : -1;
                }
                word.write(b);
            } else if (isSpace(b)) {
                return i;
            } else if (b == '"') {
                inDouble = true;
            } else if (b == '\'') {
                inSingle = true;
            } else {
                word.write(b);
            }
            i++;
        }
        return inDouble || inSingle ? -1 : i;
    }

    private static int unescape(byte b) {
        return switch (b) {
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'b' -> '\b';
            case 'a' -> 7;
            default -> b;
        };
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == 0x0b || b == '\f';
    }

    private static boolean isHex(byte b) {
        return Character.digit(b, 16) >= 0;
    }

    private static int hex(byte b) {
        return Character.digit(b, 16);
    }
}
