package dev.libos.maven.jar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunnableJarTest {
    private static final LocalDateTime TIME = LocalDateTime.of(2026, 1, 1, 0, 0);

    @TempDir
    Path temp;

    private Path jar(String name, boolean multiRelease, String... namesAndContents) throws IOException {
        Path jar = temp.resolve(name);
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Main-Class", "not.Used");
        if (multiRelease) {
            manifest.getMainAttributes().put(Attributes.Name.MULTI_RELEASE, "true");
        }
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            for (int i = 0; i < namesAndContents.length; i += 2) {
                out.putNextEntry(new JarEntry(namesAndContents[i]));
                out.write(namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return jar;
    }

    private Path classes() throws IOException {
        Path classes = temp.resolve("classes");
        Files.createDirectories(classes.resolve("com/example"));
        Files.writeString(classes.resolve("com/example/Main.class"), "app main");
        Files.createDirectories(classes.resolve("META-INF/services"));
        Files.writeString(classes.resolve("META-INF/services/dev.libos.Hook"), "com.example.AppHook\n");
        return classes;
    }

    private static String text(JarFile jar, String name) throws IOException {
        return new String(jar.getInputStream(jar.getEntry(name)).readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void mergesClassesJarsAndServicesAndWritesTheManifest() throws IOException {
        Path core = jar("core.jar", false,
                "dev/libos/core/Boot.class", "boot",
                "com/example/Main.class", "shadowed copy",
                "META-INF/services/dev.libos.Hook", "dev.libos.CoreHook # the kernel's\ncom.example.AppHook\n",
                "META-INF/CORE.SF", "signature",
                "module-info.class", "module");
        Path net = jar("net.jar", true,
                "META-INF/services/dev.libos.Hook", "# comment only\ndev.libos.NetHook\n",
                "META-INF/versions/21/module-info.class", "module",
                "META-INF/versions/21/dev/libos/net/Fast.class", "fast");
        Path out = temp.resolve("app.jar");
        RunnableJar.Result result = RunnableJar.write(classes(), List.of(core, net),
                HostedManifest.attributes("com.example.Main", "8080:8080", Map.of()), TIME, out);
        assertEquals(List.of("com/example/Main.class"), result.duplicateClasses());
        assertTrue(result.multiRelease());
        try (JarFile jar = new JarFile(out.toFile())) {
            Attributes main = jar.getManifest().getMainAttributes();
            assertEquals("dev.libos.core.Boot", main.getValue("Main-Class"));
            assertEquals("com.example.Main", main.getValue("Libos-Main"));
            assertEquals("8080:8080", main.getValue("Libos-Forwards"));
            assertEquals("java.base/java.lang", main.getValue("Add-Opens"));
            assertEquals("true", main.getValue("Multi-Release"));
            assertEquals("app main", text(jar, "com/example/Main.class"), "the application's classes come first");
            assertEquals("boot", text(jar, "dev/libos/core/Boot.class"));
            assertEquals("fast", text(jar, "META-INF/versions/21/dev/libos/net/Fast.class"));
            assertEquals("com.example.AppHook\ndev.libos.CoreHook\ndev.libos.NetHook\n", text(jar, "META-INF/services/dev.libos.Hook"));
            assertNull(jar.getEntry("META-INF/CORE.SF"));
            assertNull(jar.getEntry("module-info.class"));
            assertNull(jar.getEntry("META-INF/versions/21/module-info.class"));
            assertTrue(jar.getEntry("dev/libos/core/").isDirectory());
            List<JarEntry> entries = Collections.list(jar.entries());
            assertEquals("META-INF/", entries.get(0).getName());
            assertEquals(JarFile.MANIFEST_NAME, entries.get(1).getName());
            assertTrue(entries.stream().allMatch(e -> e.getTimeLocal().equals(TIME)), "every entry has the fixed time");
        }
        assertFalse(Files.exists(temp.resolve("app.jar.partial")));
    }

    @Test
    void equalInputsGiveEqualJars() throws IOException {
        Path lib = jar("lib.jar", false, "org/lib/A.class", "a", "org/lib/B.class", "b");
        Path classes = classes();
        Map<String, String> attributes = HostedManifest.attributes("com.example.Main", null, Map.of());
        RunnableJar.write(classes, List.of(lib), attributes, TIME, temp.resolve("one.jar"));
        RunnableJar.write(classes, List.of(lib), attributes, TIME, temp.resolve("two.jar"));
        assertArrayEquals(Files.readAllBytes(temp.resolve("one.jar")), Files.readAllBytes(temp.resolve("two.jar")));
        try (JarFile jar = new JarFile(temp.resolve("one.jar").toFile())) {
            assertNull(jar.getManifest().getMainAttributes().getValue("Libos-Forwards"));
            assertNull(jar.getManifest().getMainAttributes().getValue("Multi-Release"));
        }
    }

    @Test
    void aBrokenDependencyIsNamedAndTheOldJarStays() throws IOException {
        Path broken = temp.resolve("broken.jar");
        Files.writeString(broken, "not a jar");
        Path out = temp.resolve("app.jar");
        Files.writeString(out, "previous");
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> RunnableJar.write(classes(), List.of(broken), Map.of("Main-Class", "x.Y"), TIME, out));
        assertTrue(e.getMessage().contains(broken.toString()), e.getMessage());
        assertEquals("previous", Files.readString(out));
    }
}
