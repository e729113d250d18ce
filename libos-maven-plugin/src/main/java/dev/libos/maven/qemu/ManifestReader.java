package dev.libos.maven.qemu;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the few top-level fields the run goal needs from a manifest.json written by
 * {@code ImageManifest} (whose layout it knows: one field per line, strings JSON-escaped).
 */
public final class ManifestReader {
    private final String json;

    /** @param json the manifest's text */
    public ManifestReader(String json) {
        this.json = json;
    }

    /** A top-level string field. */
    public String string(String name) {
        Matcher m = Pattern.compile("(?m)^  \"" + Pattern.quote(name) + "\": \"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalArgumentException("manifest has no string field " + name);
        }
        return unescape(m.group(1));
    }

    /** A top-level integer field. */
    public int integer(String name) {
        Matcher m = Pattern.compile("(?m)^  \"" + Pattern.quote(name) + "\": (-?\\d+)").matcher(json);
        if (!m.find()) {
            throw new IllegalArgumentException("manifest has no integer field " + name);
        }
        return Integer.parseInt(m.group(1));
    }

    private static String unescape(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char next = text.charAt(++i);
            switch (next) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'u' -> {
                    out.append((char) Integer.parseInt(text.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> out.append(next);
            }
        }
        return out.toString();
    }
}
