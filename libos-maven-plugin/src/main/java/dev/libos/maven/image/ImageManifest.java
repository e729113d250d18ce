package dev.libos.maven.image;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * What {@code target/libos/manifest.json} records: every part with its size and SHA-256, the
 * initramfs segments (offset, size, digest) that make the size split, the kernel command line,
 * memory and CPUs. {@link #toJson()} writes fields in a fixed order with Jackson, so equal
 * manifests are equal bytes.
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
        ObjectNode root = JSON.createObjectNode(); // keeps insertion order: the field order is fixed here
        root.put("format", FORMAT);
        root.set("kernel", part(kernel));
        root.set("initramfs", part(initramfs));
        ArrayNode segmentArray = root.putArray("segments");
        for (Segment s : segments) {
            segmentArray.addObject().put("name", s.name()).put("offset", s.offset()).put("size", s.size())
                    .put("sha256", s.sha256()).put("unpacked", s.unpacked());
        }
        ArrayNode volumeArray = root.putArray("volumes");
        volumes.forEach(v -> volumeArray.add(part(v)));
        root.put("commandLine", commandLine);
        root.put("memory", memory);
        root.put("cpus", cpus);
        root.put("mainClass", mainClass);
        ArrayNode moduleArray = root.putArray("modules");
        modules.forEach(moduleArray::add);
        try {
            return JSON.writer(PRETTY).writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // a tree of strings and numbers always serialises
        }
    }

    private static ObjectNode part(Part part) {
        return JSON.createObjectNode().put("file", part.file()).put("size", part.size()).put("sha256", part.sha256());
    }

    private static final JsonMapper JSON = new JsonMapper();
    /** Two-space indent, {@code "key": value}, and "\n" line ends on every OS, so equal manifests are equal bytes. */
    private static final DefaultPrettyPrinter PRETTY = new DefaultPrettyPrinter()
            .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"));
}
