package dev.libos.maven.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageBuilderTest {
    @TempDir
    Path temp;

    /** A runtime segment made of one file, standing in for jlink. */
    private final class FakeRuntime implements RuntimeProvider {
        @Override
        public Set<String> modules(List<Path> inputs) {
            return Set.of("java.base");
        }

        @Override
        public RuntimeImage.Segment segment(Set<String> modules, Consumer<String> progress) throws IOException {
            Path segment = temp.resolve("runtime.cpio.gz");
            SegmentWriter.write(List.of(CpioEntry.directory("jvm"), CpioEntry.directory("jvm/bin"),
                    CpioEntry.file("jvm/bin/java", CpioEntry.Content.of("ELF".getBytes(StandardCharsets.US_ASCII)), true)), 1, segment);
            return new RuntimeImage.Segment(segment, 0);
        }
    }

    private ImageManifest build(Path output, List<String> progress) throws IOException {
        Path classes = temp.resolve("classes");
        Files.createDirectories(classes.resolve("com/example"));
        Files.writeString(classes.resolve("com/example/Main.class"), "not really a class");
        Path kernel = temp.resolve("vmlinuz-test");
        Files.writeString(kernel, "kernel bytes");
        Path libosJar = temp.resolve("libos-core-1.jar");
        Files.writeString(libosJar, "libos");
        Path otherJar = temp.resolve("slf4j-api-2.jar");
        Files.writeString(otherJar, "slf4j");
        ImageSettings settings = new ImageSettings("com.example.Main", kernel, "256M", 1, List.of(), List.of(),
                List.of("qcow2", "raw"), "64M").validate();
        return new ImageBuilder(new FakeRuntime(), progress::add).build(settings, kernel, classes,
                List.of(new ImageBuilder.Dependency("dev.libos", "libos-core", libosJar),
                        new ImageBuilder.Dependency("org.slf4j", "slf4j-api", otherJar)), output);
    }

    private static TreeMap<String, byte[]> files(Path directory) throws IOException {
        TreeMap<String, byte[]> files = new TreeMap<>();
        try (var list = Files.list(directory)) {
            for (Path file : (Iterable<Path>) list::iterator) {
                files.put(file.getFileName().toString(), Files.readAllBytes(file));
            }
        }
        return files;
    }

    @Test
    void twoBuildsOfTheSameInputAreByteIdentical() throws IOException {
        build(temp.resolve("one"), new ArrayList<>());
        build(temp.resolve("two"), new ArrayList<>());
        TreeMap<String, byte[]> one = files(temp.resolve("one"));
        TreeMap<String, byte[]> two = files(temp.resolve("two"));
        assertEquals(List.of("data.img", "data.qcow2", "initramfs.cpio.gz", "manifest.json", "vmlinuz"), List.copyOf(one.keySet()));
        assertEquals(one.keySet(), two.keySet());
        one.forEach((name, bytes) -> assertArrayEquals(bytes, two.get(name), name));
    }

    @Test
    void manifestAccountsForEveryPartAndSegment() throws IOException {
        List<String> progress = new ArrayList<>();
        Path output = temp.resolve("image");
        ImageManifest manifest = build(output, progress);
        assertTrue(progress.size() >= 3, "progress is shown: " + progress);

        byte[] initramfs = Files.readAllBytes(output.resolve(ImageBuilder.INITRAMFS_FILE));
        assertEquals(initramfs.length, manifest.initramfs().size());
        assertEquals(Sha256.of(output.resolve(ImageBuilder.INITRAMFS_FILE)), manifest.initramfs().sha256());
        assertEquals(Sha256.of(output.resolve("vmlinuz")), manifest.kernel().sha256());
        assertEquals(List.of("runtime", "libos", "application"), manifest.segments().stream().map(ImageManifest.Segment::name).toList());
        long end = 0;
        for (ImageManifest.Segment segment : manifest.segments()) {
            assertEquals(end, segment.offset());
            end += segment.size();
        }
        assertEquals(initramfs.length, end, "segments tile the initramfs");

        // Each segment is a gzip member holding a cpio archive with the expected paths.
        ImageManifest.Segment application = manifest.segments().get(2);
        String cpio = gunzip(initramfs, application.offset(), application.size());
        assertTrue(cpio.contains("app/classes/com/example/Main.class") && cpio.contains("app/lib/slf4j-api-2.jar"), cpio);
        String libos = gunzip(initramfs, manifest.segments().get(1).offset(), manifest.segments().get(1).size());
        assertTrue(libos.contains("libos/libos-core-1.jar"));

        String json = Files.readString(output.resolve(ImageBuilder.MANIFEST_FILE));
        assertEquals(manifest.toJson(), json);
        assertTrue(json.contains("\"memory\": \"256M\"") && json.contains("\"cpus\": 1"), json);
        assertTrue(manifest.commandLine().contains("-cp /app/classes:/libos/libos-core-1.jar:/app/lib/slf4j-api-2.jar "),
                manifest.commandLine());
        var reader = new dev.libos.maven.qemu.ManifestReader(json);
        assertEquals(manifest.commandLine(), reader.string("commandLine"));
        assertEquals(1, reader.integer("cpus"));
    }

    private static String gunzip(byte[] bytes, long offset, long size) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes, (int) offset, (int) size))) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void qcow2HeaderDescribesAnEmptyImage() {
        byte[] image = DataVolume.emptyQcow2(64L << 20);
        var buffer = java.nio.ByteBuffer.wrap(image);
        assertEquals(Qcow2Layout.MAGIC, buffer.getInt(0));
        assertEquals(2, buffer.getInt(4));
        assertEquals(64L << 20, buffer.getLong(24));
        assertEquals(1, buffer.getInt(36), "one L1 entry maps 512 MiB");
        assertEquals(3L * Qcow2Layout.CLUSTER_BYTES, buffer.getLong(40));
        assertEquals(2L * Qcow2Layout.CLUSTER_BYTES, buffer.getLong(Qcow2Layout.CLUSTER_BYTES), "refcount table -> block");
        for (int cluster = 0; cluster < 4; cluster++) {
            assertEquals(1, buffer.getShort(2 * Qcow2Layout.CLUSTER_BYTES + 2 * cluster), "cluster " + cluster);
        }
        assertEquals(0, buffer.getShort(2 * Qcow2Layout.CLUSTER_BYTES + 8));
        assertEquals(4 * Qcow2Layout.CLUSTER_BYTES, image.length);
    }
}
