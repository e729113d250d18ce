package dev.libos.maven.jar;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

/**
 * Writes one runnable jar from the application's classes and its runtime class path, for
 * {@code java -jar}: what the maven-shade-plugin did with about 25 lines of configuration in every
 * application's pom.
 * <ul>
 *   <li>Entries come in class path order (the classes directory first); the first of two equal
 *       paths wins, and duplicate classes are counted for a warning.</li>
 *   <li>{@code META-INF/services} files are merged, line by line without repeats, so every
 *       provider of every jar stays visible to {@link java.util.ServiceLoader} (libos's boot hooks,
 *       the JDK providers libos-jvm-net installs).</li>
 *   <li>Left out: the inputs' manifests, signature files (the merged jar would fail their check),
 *       {@code module-info.class} (the jar runs on the class path) and {@code INDEX.LIST}.</li>
 *   <li>The manifest is the one given, plus {@code Multi-Release: true} when an input is a
 *       multi-release jar.</li>
 *   <li>Every entry has the same time and the order is fixed, so equal inputs give equal jars.</li>
 * </ul>
 */
public final class RunnableJar {
    private static final Pattern SIGNATURE = Pattern.compile("META-INF/[^/]+\\.(SF|DSA|RSA|EC)", Pattern.CASE_INSENSITIVE);
    private static final Pattern MODULE_INFO = Pattern.compile("(META-INF/versions/\\d+/)?module-info\\.class");
    private static final String SERVICES = "META-INF/services/";

    /**
     * What was written.
     *
     * @param entries         file entries in the jar (manifest included)
     * @param duplicateClasses class files found in more than one input (the first was kept)
     * @param multiRelease    whether an input was a multi-release jar
     */
    public record Result(int entries, List<String> duplicateClasses, boolean multiRelease) {
    }

    private RunnableJar() {
    }

    /**
     * Writes {@code output} (replacing it only once the new jar is complete).
     *
     * @param classesDirectory the application's classes (may be absent)
     * @param jars             its runtime jars, in class path order
     * @param mainAttributes   the manifest's main attributes ({@code Main-Class} and the rest), in order
     * @param entryTime        the time of every entry
     */
    public static Result write(Path classesDirectory, List<Path> jars, Map<String, String> mainAttributes,
                               LocalDateTime entryTime, Path output) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        Map<String, Set<String>> services = new LinkedHashMap<>();
        List<String> duplicates = new ArrayList<>();
        boolean multiRelease = false;
        if (classesDirectory != null && Files.isDirectory(classesDirectory)) {
            try (Stream<Path> walk = Files.walk(classesDirectory)) {
                for (Path file : (Iterable<Path>) walk.filter(Files::isRegularFile).sorted()::iterator) {
                    String name = classesDirectory.relativize(file).toString().replace(java.io.File.separatorChar, '/');
                    add(name, Files.readAllBytes(file), files, services, duplicates);
                }
            }
        }
        for (Path jar : jars) {
            try (JarFile in = new JarFile(jar.toFile(), false)) {
                Manifest manifest = in.getManifest();
                multiRelease |= manifest != null && "true".equalsIgnoreCase(manifest.getMainAttributes().getValue("Multi-Release"));
                Enumeration<JarEntry> entries = in.entries();
                while (entries.hasMoreElements()) {
                    JarEntry entry = entries.nextElement();
                    if (!entry.isDirectory()) {
                        try (InputStream content = in.getInputStream(entry)) {
                            add(entry.getName(), content.readAllBytes(), files, services, duplicates);
                        }
                    }
                }
            } catch (IOException e) {
                throw new IOException("cannot read the runtime dependency " + jar + " as a jar: " + e.getMessage(), e);
            }
        }
        for (Map.Entry<String, Set<String>> service : services.entrySet()) {
            files.put(service.getKey(), (String.join("\n", service.getValue()) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        mainAttributes.forEach((name, value) -> manifest.getMainAttributes().putValue(name, value));
        if (multiRelease) {
            manifest.getMainAttributes().put(Attributes.Name.MULTI_RELEASE, "true");
        }
        Path partial = output.resolveSibling(output.getFileName() + ".partial");
        try (OutputStream file = Files.newOutputStream(partial); JarOutputStream out = new JarOutputStream(file)) {
            put(out, "META-INF/", null, entryTime);
            ByteArrayOutputStream manifestBytes = new ByteArrayOutputStream();
            manifest.write(manifestBytes);
            put(out, JarFile.MANIFEST_NAME, manifestBytes.toByteArray(), entryTime);
            Set<String> directories = new TreeSet<>();
            for (String name : files.keySet()) {
                for (int slash = name.indexOf('/'); slash >= 0; slash = name.indexOf('/', slash + 1)) {
                    directories.add(name.substring(0, slash + 1));
                }
            }
            directories.remove("META-INF/");
            for (String directory : directories) {
                put(out, directory, null, entryTime);
            }
            for (Map.Entry<String, byte[]> entry : files.entrySet()) {
                put(out, entry.getKey(), entry.getValue(), entryTime);
            }
        } catch (IOException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
        Files.move(partial, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new Result(files.size() + 1, List.copyOf(duplicates), multiRelease);
    }

    private static void add(String name, byte[] content, Map<String, byte[]> files, Map<String, Set<String>> services,
                            List<String> duplicates) {
        if (name.equalsIgnoreCase(JarFile.MANIFEST_NAME) || name.equals("META-INF/INDEX.LIST")
                || SIGNATURE.matcher(name).matches() || MODULE_INFO.matcher(name).matches()) {
            return;
        }
        if (name.startsWith(SERVICES) && name.indexOf('/', SERVICES.length()) < 0 && name.length() > SERVICES.length()) {
            Set<String> providers = services.computeIfAbsent(name, n -> new LinkedHashSet<>());
            for (String line : new String(content, StandardCharsets.UTF_8).split("\n")) {
                String provider = line.split("#", 2)[0].strip(); // '#' starts a comment (ServiceLoader's file format)
                if (!provider.isEmpty()) {
                    providers.add(provider);
                }
            }
            return;
        }
        if (files.putIfAbsent(name, content) != null && name.endsWith(".class")) {
            duplicates.add(name);
        }
    }

    private static void put(JarOutputStream out, String name, byte[] content, LocalDateTime time) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setTimeLocal(time);
        out.putNextEntry(entry);
        if (content != null) {
            out.write(content);
        }
        out.closeEntry();
    }
}
