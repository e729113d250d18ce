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
                filesTree("files-" + output.getFileName())).validate();
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
        assertEquals(List.of("files.img", "initramfs.cpio.gz", "manifest.json", "vmlinuz"), List.copyOf(one.keySet()));
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
        assertEquals(List.of(FilesVolume.FILE), manifest.volumes().stream().map(ImageManifest.Part::file).toList());
        assertEquals(Sha256.of(output.resolve(FilesVolume.FILE)), manifest.volumes().get(0).sha256());
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

    private Path filesTree(String name) throws IOException {
        Path root = temp.resolve(name);
        Files.createDirectories(root.resolve("conf/empty"));
        Files.writeString(root.resolve("greeting.txt"), "hello from the files volume\n");
        Files.writeString(root.resolve("conf/app.properties"), "answer=42\n");
        Files.write(root.resolve("big.bin"), new byte[3 * FilesVolume.BLOCK_BYTES + 7]);
        Files.createSymbolicLink(root.resolve("link"), Path.of("greeting.txt"));
        return root;
    }

    @Test
    void filesVolumeIsAnImageTheGuestReads() throws IOException, dev.libos.vfs.VfsException {
        Path volume = temp.resolve(FilesVolume.FILE);
        long size = FilesVolume.write(filesTree("tree"), volume);
        assertEquals(Files.size(volume), size);
        byte[] image = Files.readAllBytes(volume);
        assertEquals(0, image.length % FilesVolume.BLOCK_BYTES);

        var device = new dev.libos.hw.hosted.block.MemoryBlockDevice("files", FilesVolume.BLOCK_BYTES, image.length / FilesVolume.BLOCK_BYTES);
        device.load(image);
        var vfs = new dev.libos.vfs.Vfs(dev.libos.vfs.imagefs.ImageFs.mount(device));
        assertEquals("hello from the files volume\n", readAll(vfs, "/greeting.txt"));
        assertEquals("answer=42\n", readAll(vfs, "/conf/app.properties"));
        assertEquals("greeting.txt", vfs.readlink("/link"));
        assertEquals(3L * FilesVolume.BLOCK_BYTES + 7, vfs.stat("/big.bin").size());
        assertEquals(dev.libos.vfs.FileType.DIRECTORY, vfs.stat("/conf/empty").type());
    }

    @Test
    void filesVolumeDependsOnlyOnTheTree() throws IOException {
        Path one = filesTree("one");
        Path two = filesTree("two");
        // Different times and permissions, same names and contents.
        Files.setLastModifiedTime(two.resolve("greeting.txt"), java.nio.file.attribute.FileTime.fromMillis(0));
        two.resolve("conf/app.properties").toFile().setExecutable(true);
        FilesVolume.write(one, temp.resolve("one.img"));
        FilesVolume.write(two, temp.resolve("two.img"));
        assertArrayEquals(Files.readAllBytes(temp.resolve("one.img")), Files.readAllBytes(temp.resolve("two.img")));
        Files.writeString(two.resolve("greeting.txt"), "changed");
        FilesVolume.write(two, temp.resolve("two.img"));
        assertTrue(!java.util.Arrays.equals(Files.readAllBytes(temp.resolve("one.img")), Files.readAllBytes(temp.resolve("two.img"))),
                "a changed file changes the volume");
    }

    private static String readAll(dev.libos.vfs.Vfs vfs, String path) throws dev.libos.vfs.VfsException {
        int fd = vfs.open(path, dev.libos.vfs.OpenFlags.O_RDONLY);
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(4096);
        vfs.read(fd, buffer);
        vfs.close(fd);
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
    }
}
