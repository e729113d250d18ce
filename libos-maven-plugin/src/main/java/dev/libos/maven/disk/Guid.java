package dev.libos.maven.disk;

import dev.libos.maven.image.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A GUID as GPT stores it (UEFI 2.10 appendix A): the first three fields little-endian, the last
 * two as bytes in order, so {@code C12A7328-F81F-11D2-BA4B-00A0C93EC93B} is stored as
 * {@code 28 73 2A C1 1F F8 D2 11 BA 4B 00 A0 C9 3E C9 3B}.
 *
 * @param text the canonical upper-case form {@code XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}
 */
public record Guid(String text) {
    private static final Pattern FORM = Pattern.compile("[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}");

    public Guid {
        text = text.toUpperCase(Locale.ROOT);
        if (!FORM.matcher(text).matches()) {
            throw new IllegalArgumentException("not a GUID: '" + text + "'");
        }
    }

    /**
     * A GUID derived from {@code seed} (RFC 9562 version 8, the "custom" layout: the first 16
     * bytes of SHA-256(seed) with the version and variant bits set), so equal inputs give equal
     * disks, never a random one.
     */
    public static Guid derived(String seed) {
        byte[] hash = Sha256.newDigest().digest(seed.getBytes(StandardCharsets.UTF_8));
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x80);
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
        String hex = HexFormat.of().withUpperCase().formatHex(hash, 0, 16);
        return new Guid(hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                + hex.substring(16, 20) + "-" + hex.substring(20, 32));
    }

    /** The 16 bytes as stored on disk. */
    public byte[] toBytes() {
        byte[] in = HexFormat.of().parseHex(text.replace("-", ""));
        byte[] out = in.clone();
        reverse(out, 0, 4);
        reverse(out, 4, 2);
        reverse(out, 6, 2);
        return out;
    }

    /** The GUID stored in {@code bytes[offset..offset+16)}. */
    public static Guid fromBytes(byte[] bytes, int offset) {
        byte[] b = java.util.Arrays.copyOfRange(bytes, offset, offset + 16);
        reverse(b, 0, 4);
        reverse(b, 4, 2);
        reverse(b, 6, 2);
        String hex = HexFormat.of().withUpperCase().formatHex(b);
        return new Guid(hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                + hex.substring(16, 20) + "-" + hex.substring(20, 32));
    }

    private static void reverse(byte[] b, int from, int length) {
        for (int i = 0; i < length / 2; i++) {
            byte t = b[from + i];
            b[from + i] = b[from + length - 1 - i];
            b[from + length - 1 - i] = t;
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
