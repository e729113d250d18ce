package dev.libos.maven.qemu;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** Reads the top-level fields the run goal needs from a manifest.json written by {@code ImageManifest}. */
public final class ManifestReader {
    private static final JsonMapper JSON = new JsonMapper();

    private final JsonNode root;

    /**
     * @param json the manifest's text
     * @throws IllegalArgumentException when it is not a JSON object
     */
    public ManifestReader(String json) {
        JsonNode parsed;
        try {
            parsed = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("manifest is not JSON: " + e.getOriginalMessage(), e);
        }
        if (parsed == null || !parsed.isObject()) {
            throw new IllegalArgumentException("manifest is not a JSON object");
        }
        this.root = parsed;
    }

    /** A top-level string field. */
    public String string(String name) {
        JsonNode value = root.get(name);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("manifest has no string field " + name);
        }
        return value.textValue();
    }

    /** A top-level integer field. */
    public int integer(String name) {
        JsonNode value = root.get(name);
        if (value == null || !value.isInt()) {
            throw new IllegalArgumentException("manifest has no integer field " + name);
        }
        return value.intValue();
    }
}
