package dev.libos.maven.image;

import java.util.List;

/**
 * What {@code target/libos/manifest.json} records: every part with its size and SHA-256, the
 * initramfs segments (offset, size, digest) that make the size split, the kernel command line,
 * memory and CPUs. {@link #toJson()} writes fields in a fixed order, so equal manifests are equal
 * bytes.
 *
 * @param kernel      the kernel file
 * @param initramfs   the initramfs file
 * @param segments    the initramfs's segments in order: runtime, libos, application
 * @param volumes     data volume files (possibly none)
 * @param commandLine the kernel command line
 * @param memory      guest memory (QEMU notation)
 * @param cpus        guest CPUs
 * @param mainClass   the application's main class
 * @param modules     modules in the runtime
 */
public record ImageManifest(Part kernel, Part initramfs, List<Segment> segments, List<Part> volumes,
                            String commandLine, String memory, int cpus, String mainClass, List<String> modules) {
    /** Manifest format version. */
    public static final int FORMAT = 1;

    /**
     * A file of the image.
     *
     * @param file   name relative to target/libos
     * @param size   bytes
     * @param sha256 hex digest
     */
    public record Part(String file, long size, String sha256) {
    }

    /**
     * A compressed cpio archive inside the initramfs.
     *
     * @param name     runtime, libos or application
     * @param offset   byte offset in the initramfs
     * @param size     compressed bytes
     * @param sha256   hex digest of those bytes
     * @param unpacked bytes of the cpio archive once decompressed
     */
    public record Segment(String name, long offset, long size, String sha256, long unpacked) {
    }

    /** The manifest as pretty-printed JSON ending in a newline. */
    public String toJson() {
        StringBuilder json = new StringBuilder("{\n");
        json.append("  \"format\": ").append(FORMAT).append(",\n");
        json.append("  \"kernel\": ").append(part(kernel)).append(",\n");
        json.append("  \"initramfs\": ").append(part(initramfs)).append(",\n");
        json.append("  \"segments\": [");
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            json.append(i == 0 ? "\n" : ",\n").append("    {\"name\": ").append(quote(s.name()))
                    .append(", \"offset\": ").append(s.offset()).append(", \"size\": ").append(s.size())
                    .append(", \"sha256\": ").append(quote(s.sha256())).append(", \"unpacked\": ")
                    .append(s.unpacked()).append('}');
        }
        json.append(segments.isEmpty() ? "],\n" : "\n  ],\n");
        json.append("  \"volumes\": [");
        for (int i = 0; i < volumes.size(); i++) {
            json.append(i == 0 ? "" : ", ").append(part(volumes.get(i)));
        }
        json.append("],\n");
        json.append("  \"commandLine\": ").append(quote(commandLine)).append(",\n");
        json.append("  \"memory\": ").append(quote(memory)).append(",\n");
        json.append("  \"cpus\": ").append(cpus).append(",\n");
        json.append("  \"mainClass\": ").append(quote(mainClass)).append(",\n");
        json.append("  \"modules\": [");
        for (int i = 0; i < modules.size(); i++) {
            json.append(i == 0 ? "" : ", ").append(quote(modules.get(i)));
        }
        json.append("]\n}\n");
        return json.toString();
    }

    private static String part(Part part) {
        return "{\"file\": " + quote(part.file()) + ", \"size\": " + part.size() + ", \"sha256\": " + quote(part.sha256()) + "}";
    }

    /** A JSON string literal. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
