package dev.libos.maven.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Keeps {@code run} from booting an image that no longer matches the project:
 * <ul>
 *   <li>the image goal removes {@value ImageBuilder#MANIFEST_FILE} before it writes anything (no
 *       manifest, no boot) and, when it fails, leaves {@value #FAILED_FILE} with the reason;</li>
 *   <li>a {@code package} that fails before the image goal (a compile error) leaves the old image
 *       in place, so {@code run} also refuses an image older than a file of the project's
 *       {@code pom.xml} or {@code src/main} tree.</li>
 * </ul>
 */
public final class ImageState {
    /** Written into the output directory when the image goal fails. */
    public static final String FAILED_FILE = "FAILED";
    /** What the messages tell the user to do. */
    public static final String RERUN = "rerun `mvn package` (or `./mvnw package` in the libos tree)";

    private ImageState() {
    }

    /** At the start of the image goal: the old image stops being bootable. */
    public static void building(Path output) throws IOException {
        Files.deleteIfExists(output.resolve(ImageBuilder.MANIFEST_FILE));
        Files.deleteIfExists(output.resolve(FAILED_FILE));
    }

    /** When the image goal fails: records why, for {@code run}'s message. */
    public static void failed(Path output, String reason) {
        try {
            Files.createDirectories(output);
            Files.deleteIfExists(output.resolve(ImageBuilder.MANIFEST_FILE));
            Files.writeString(output.resolve(FAILED_FILE), reason + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            // the manifest is gone or was never written: run refuses the image anyway
        }
    }

    /**
     * Why the image in {@code output} must not be booted, if it must not.
     *
     * @param projectDirectory the project's base directory (its pom.xml and src/main are the inputs checked)
     */
    public static Optional<String> staleReason(Path output, Path projectDirectory) throws IOException {
        Path failed = output.resolve(FAILED_FILE);
        if (Files.isRegularFile(failed)) {
            return Optional.of("the last package failed to build the image in " + output + " ("
                    + Files.readString(failed, StandardCharsets.UTF_8).strip() + "): fix that and " + RERUN);
        }
        Path manifest = output.resolve(ImageBuilder.MANIFEST_FILE);
        if (!Files.isRegularFile(manifest) || projectDirectory == null) {
            return Optional.empty();
        }
        FileTime built = Files.getLastModifiedTime(manifest);
        Optional<Path> newer = newerThan(built, projectDirectory.resolve("pom.xml"));
        Path sources = projectDirectory.resolve("src/main");
        if (newer.isEmpty() && Files.isDirectory(sources)) {
            try (Stream<Path> walk = Files.walk(sources)) {
                newer = walk.filter(Files::isRegularFile).filter(p -> isNewer(p, built)).findFirst();
            }
        }
        return newer.map(p -> "the image in " + output + " is older than " + projectDirectory.relativize(p)
                + " (changed after the last package, or the last package failed): " + RERUN);
    }

    private static Optional<Path> newerThan(FileTime built, Path file) {
        return Files.isRegularFile(file) && isNewer(file, built) ? Optional.of(file) : Optional.empty();
    }

    private static boolean isNewer(Path file, FileTime built) {
        try {
            return Files.getLastModifiedTime(file).compareTo(built) > 0;
        } catch (IOException e) {
            return false;
        }
    }
}
