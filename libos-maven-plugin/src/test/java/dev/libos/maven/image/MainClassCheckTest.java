package dev.libos.maven.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainClassCheckTest {
    @TempDir
    Path temp;

    private Path jar(String name, String... entries) throws IOException {
        Path jar = temp.resolve(name);
        try (OutputStream file = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(file)) {
            for (String entry : entries) {
                zip.putNextEntry(new ZipEntry(entry));
                zip.write(1);
                zip.closeEntry();
            }
        }
        return jar;
    }

    @Test
    void findsTheClassInTheClassesDirectoryOrAJar() throws IOException {
        Path classes = temp.resolve("classes");
        Files.createDirectories(classes.resolve("com/example"));
        Files.writeString(classes.resolve("com/example/Main.class"), "x");
        Path lib = jar("lib.jar", "org/lib/Tool.class", "org/lib/Outer$Inner.class");
        Path multiRelease = jar("mr.jar", "META-INF/versions/21/org/mr/Only21.class");
        List<Path> classPath = List.of(classes, lib, multiRelease);
        assertEquals(classes, MainClassCheck.require("libos.mainClass", "com.example.Main", classPath));
        assertEquals(lib, MainClassCheck.require("libos.mainClass", "org.lib.Tool", classPath));
        assertEquals(lib, MainClassCheck.require("libos.mainClass", "org.lib.Outer$Inner", classPath));
        assertEquals(multiRelease, MainClassCheck.require("libos.mainClass", "org.mr.Only21", classPath));
    }

    @Test
    void aMissingClassIsReportedWithTheSettingAndTheClass() throws IOException {
        Path classes = temp.resolve("classes");
        Files.createDirectories(classes);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                MainClassCheck.require("libos.mainClass", "com.example.Mian", List.of(classes, jar("a.jar", "com/example/Main.class"))));
        assertTrue(e.getMessage().startsWith("libos.mainClass: the main class com.example.Mian is not in the application's classes"),
                e.getMessage());
        assertTrue(e.getMessage().contains("com/example/Mian.class in 2 class path entries"), e.getMessage());
    }

    @Test
    void aCorruptJarIsNamed() throws IOException {
        Path broken = temp.resolve("broken.jar");
        Files.writeString(broken, "not a zip");
        IOException e = assertThrows(IOException.class, () -> MainClassCheck.require("libos.mainClass", "a.B", List.of(broken)));
        assertTrue(e.getMessage().contains(broken.toString()), e.getMessage());
    }
}
