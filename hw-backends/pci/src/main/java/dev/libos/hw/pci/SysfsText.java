package dev.libos.hw.pci;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads the small text attributes of sysfs ({@code 0x1af4\n}) and reports bad ones by file. */
final class SysfsText {
    private SysfsText() {
    }

    /** Reads a whole attribute file as text. */
    static String read(Path file) throws IOException {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new MalformedSysfsException(file, "missing");
        }
    }

    /** Reads an attribute holding one hexadecimal number, such as {@code vendor} or {@code class}. */
    static long readHex(Path file) throws IOException {
        return parseHex(read(file).strip(), file, "value");
    }

    /** Parses {@code 0x}-prefixed (or bare) hexadecimal, unsigned 64 bits. */
    static long parseHex(String text, Path file, String what) throws MalformedSysfsException {
        String digits = text.startsWith("0x") || text.startsWith("0X") ? text.substring(2) : text;
        if (digits.isEmpty() || digits.length() > 16) {
            throw new MalformedSysfsException(file, what + " is not a hexadecimal number: '" + text + "'");
        }
        try {
            return Long.parseUnsignedLong(digits, 16);
        } catch (NumberFormatException e) {
            throw new MalformedSysfsException(file, what + " is not a hexadecimal number: '" + text + "'");
        }
    }
}
