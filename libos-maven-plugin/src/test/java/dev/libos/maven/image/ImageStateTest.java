package dev.libos.maven.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageStateTest {
    @TempDir
    Path project;

    private Path image() throws IOException {
        Path output = Files.createDirectories(project.resolve("target/libos"));
        Files.writeString(output.resolve(ImageBuilder.MANIFEST_FILE), "{}");
        Files.setLastModifiedTime(output.resolve(ImageBuilder.MANIFEST_FILE), FileTime.from(Instant.parse("2026-06-01T00:00:00Z")));
        return output;
    }

    private void source(String path, String time) throws IOException {
        Path file = project.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "x");
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse(time)));
    }

    @Test
    void anImageNewerThanItsSourcesBoots() throws IOException {
        Path output = image();
        source("pom.xml", "2026-05-01T00:00:00Z");
        source("src/main/java/com/example/Main.java", "2026-05-01T00:00:00Z");
        assertEquals(Optional.empty(), ImageState.staleReason(output, project));
    }

    @Test
    void aSourceChangedAfterThePackageMakesItStale() throws IOException {
        Path output = image();
        source("pom.xml", "2026-05-01T00:00:00Z");
        source("src/main/java/com/example/Main.java", "2026-06-02T00:00:00Z");
        String reason = ImageState.staleReason(output, project).orElseThrow();
        assertTrue(reason.contains("older than src/main/java/com/example/Main.java") && reason.contains("rerun `mvn package`"), reason);
        source("src/main/java/com/example/Main.java", "2026-05-01T00:00:00Z");
        source("pom.xml", "2026-06-02T00:00:00Z");
        assertTrue(ImageState.staleReason(output, project).orElseThrow().contains("older than pom.xml"));
    }

    @Test
    void aFailedImageGoalRemovesTheManifestAndLeavesItsReason() throws IOException {
        Path output = image();
        ImageState.building(output);
        assertFalse(Files.exists(output.resolve(ImageBuilder.MANIFEST_FILE)), "a build under way is not bootable");
        ImageState.failed(output, "libos.kernel: /tmp/k is not an x86 Linux kernel");
        String reason = ImageState.staleReason(output, project).orElseThrow();
        assertTrue(reason.startsWith("the last package failed to build the image in " + output), reason);
        assertTrue(reason.contains("libos.kernel: /tmp/k") && reason.endsWith("rerun `mvn package` (or `./mvnw package` in the libos tree)"),
                reason);
        ImageState.building(output);
        assertEquals(Optional.empty(), ImageState.staleReason(output, project), "the next build starts clean");
    }
}
