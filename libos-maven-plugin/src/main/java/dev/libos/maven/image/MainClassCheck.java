package dev.libos.maven.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Checks that the application's main class is on its class path (the compiled classes or a
 * runtime dependency) before an image or jar is written around it: a typo would otherwise show up
 * only after a boot, as the JVM's {@code ClassNotFoundException} on the guest's console.
 */
public final class MainClassCheck {
    private MainClassCheck() {
    }

    /**
     * Where {@code mainClass} is: the classes directory or jar that holds it.
     *
     * @param setting   the setting that names the class, for the message
     * @param mainClass a binary class name ({@code com.example.Main}, {@code com.example.Outer$Inner})
     * @param classPath the classes directory and the runtime jars, in class path order
     * @throws IllegalArgumentException naming the setting and the class when no entry holds it
     */
    public static Path require(String setting, String mainClass, List<Path> classPath) throws IOException {
        String entry = mainClass.replace('.', '/') + ".class";
        for (Path element : classPath) {
            if (Files.isDirectory(element) ? Files.isRegularFile(element.resolve(entry)) : jarHolds(element, entry)) {
                return element;
            }
        }
        throw new IllegalArgumentException(setting + ": the main class " + mainClass + " is not in the application's classes or its "
                + "runtime dependencies (looked for " + entry + " in " + classPath.size() + " class path entries"
                + (classPath.isEmpty() ? "" : ", first " + classPath.getFirst()) + ")");
    }

    private static boolean jarHolds(Path jar, String entry) throws IOException {
        if (!Files.isRegularFile(jar)) {
            return false;
        }
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            if (zip.getEntry(entry) != null) {
                return true;
            }
            // A multi-release jar may hold the class only for newer releases (META-INF/versions/N/).
            return zip.stream().anyMatch(e -> e.getName().startsWith("META-INF/versions/") && e.getName().endsWith("/" + entry));
        } catch (ZipException e) {
            throw new IOException("cannot read the class path entry " + jar + " as a jar: " + e.getMessage(), e);
        }
    }
}
