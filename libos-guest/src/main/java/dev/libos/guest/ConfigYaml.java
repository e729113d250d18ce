package dev.libos.guest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The small, strict YAML subset that libos reads from NoCloud files ({@link CloudConfig},
 * {@link CloudNetworkConfig}): nested mappings by indentation (spaces only), {@code key: value}
 * scalars (plain, or in double or single quotes), flow lists {@code [a, b]} and block lists
 * ({@code - a}, indented under their key), comments ({@code #} at a line's start or after a
 * space). No anchors, tags, multi-line scalars or documents. Every error names the line.
 * A parsed value is a {@code Map<String, Object>}, a {@code List<String>} or a {@code String}.
 */
final class ConfigYaml {
    private record Line(int number, int indent, String text) {
    }

    private final String source;
    private final List<Line> lines = new ArrayList<>();
    private int next;

    private ConfigYaml(String source) {
        this.source = source;
    }

    /**
     * Parses {@code text} (from {@code source}, for messages) into a mapping.
     *
     * @throws IllegalArgumentException naming the source and line of the first error
     */
    static Map<String, Object> parse(String source, String text) {
        ConfigYaml yaml = new ConfigYaml(source);
        String[] raw = text.split("\r?\n", -1);
        for (int i = 0; i < raw.length; i++) {
            String line = stripComment(raw[i]);
            if (line.isBlank()) {
                continue;
            }
            int indent = 0;
            while (indent < line.length() && line.charAt(indent) == ' ') {
                indent++;
            }
            if (line.charAt(indent) == '\t') {
                throw yaml.error(i + 1, "a tab in the indentation (use spaces)");
            }
            yaml.lines.add(new Line(i + 1, indent, line.substring(indent).stripTrailing()));
        }
        if (yaml.lines.isEmpty()) {
            return new LinkedHashMap<>();
        }
        if (yaml.lines.get(0).indent() != 0) {
            throw yaml.error(yaml.lines.get(0).number(), "the first line is indented");
        }
        Object value = yaml.block(0);
        if (yaml.next < yaml.lines.size()) {
            throw yaml.error(yaml.lines.get(yaml.next).number(), "indentation does not match any enclosing key");
        }
        if (!(value instanceof Map<?, ?>)) {
            throw yaml.error(yaml.lines.get(0).number(), "expected a mapping (key: value) at the top");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) value;
        return map;
    }

    private IllegalArgumentException error(int line, String message) {
        return new IllegalArgumentException(source + " line " + line + ": " + message);
    }

    /** A mapping or block list whose lines are at {@code indent}. */
    private Object block(int indent) {
        Line first = lines.get(next);
        if (first.text().startsWith("- ") || first.text().equals("-")) {
            List<String> items = new ArrayList<>();
            while (next < lines.size() && lines.get(next).indent() == indent) {
                Line line = lines.get(next);
                if (!line.text().startsWith("- ")) {
                    throw error(line.number(), "expected a list item '- value' like the lines above");
                }
                items.add(scalar(line, line.text().substring(2).strip()));
                next++;
            }
            return items;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        while (next < lines.size() && lines.get(next).indent() == indent) {
            Line line = lines.get(next);
            int colon = keyEnd(line.text());
            if (colon < 0) {
                throw error(line.number(), "expected 'key: value' or 'key:'");
            }
            String key = line.text().substring(0, colon).strip();
            if (key.isEmpty() || key.startsWith("- ")) {
                throw error(line.number(), "expected 'key: value' or 'key:'");
            }
            String rest = line.text().substring(colon + 1).strip();
            next++;
            Object value;
            if (rest.isEmpty()) {
                if (next < lines.size() && lines.get(next).indent() > indent) {
                    value = block(lines.get(next).indent());
                } else {
                    value = "";
                }
            } else if (rest.startsWith("[")) {
                value = flowList(line, rest);
            } else {
                value = scalar(line, rest);
            }
            if (map.putIfAbsent(key, value) != null) {
                throw error(line.number(), "the key '" + key + "' is given twice");
            }
        }
        if (next < lines.size() && lines.get(next).indent() > indent) {
            throw error(lines.get(next).number(), "unexpected indentation");
        }
        return map;
    }

    /** Index of the colon ending the key (followed by a space or the end), outside quotes; -1 if none. */
    private static int keyEnd(String text) {
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == ':' && (i + 1 == text.length() || text.charAt(i + 1) == ' ')) {
                return i;
            }
        }
        return -1;
    }

    private List<String> flowList(Line line, String text) {
        if (!text.endsWith("]")) {
            throw error(line.number(), "a list '[' without its closing ']'");
        }
        List<String> items = new ArrayList<>();
        String inner = text.substring(1, text.length() - 1).strip();
        if (inner.isEmpty()) {
            return items;
        }
        for (String item : inner.split(",", -1)) {
            String value = scalar(line, item.strip());
            if (value.isEmpty()) {
                throw error(line.number(), "an empty item in '" + text + "'");
            }
            items.add(value);
        }
        return items;
    }

    private String scalar(Line line, String text) {
        if (text.startsWith("\"")) {
            if (text.length() < 2 || !text.endsWith("\"")) {
                throw error(line.number(), "a string opened with '\"' and not closed");
            }
            StringBuilder out = new StringBuilder();
            String inner = text.substring(1, text.length() - 1);
            for (int i = 0; i < inner.length(); i++) {
                char c = inner.charAt(i);
                if (c == '\\') {
                    if (i + 1 == inner.length()) {
                        throw error(line.number(), "a '\\' at the end of a string");
                    }
                    char e = inner.charAt(++i);
                    out.append(switch (e) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        case '"', '\\' -> e;
                        default -> throw error(line.number(), "unknown escape '\\" + e + "' (known: \\n \\t \\\" \\\\)");
                    });
                } else if (c == '"') {
                    throw error(line.number(), "a '\"' inside a string must be written \\\"");
                } else {
                    out.append(c);
                }
            }
            return out.toString();
        }
        if (text.startsWith("'")) {
            if (text.length() < 2 || !text.endsWith("'")) {
                throw error(line.number(), "a string opened with \"'\" and not closed");
            }
            return text.substring(1, text.length() - 1).replace("''", "'");
        }
        for (String reserved : new String[] {"&", "*", "!", "|", ">", "{", "@", "`"}) {
            if (text.startsWith(reserved)) {
                throw error(line.number(), "'" + reserved + "' starts YAML syntax libos does not read; quote the value");
            }
        }
        return text;
    }

    /** The line without its comment: '#' at the start or after a space, outside quotes. */
    private static String stripComment(String line) {
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '#' && (i == 0 || line.charAt(i - 1) == ' ')) {
                return line.substring(0, i);
            }
        }
        return line;
    }
}
