package dev.libos.vfs.nio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.hw.hosted.block.MemoryBlockDevice;
import dev.libos.vfs.Vfs;
import dev.libos.vfs.cowfs.CowFs;
import dev.libos.vfs.ramfs.RamFs;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Unmodified Files.* code over a mounted VFS through the libos scheme. */
class LibosFileSystemProviderTest {
    private Vfs vfs;
    private FileSystem fs;
    private MemoryBlockDevice disk;

    @BeforeEach
    void mount() throws Exception {
        vfs = new Vfs(new RamFs());
        vfs.mkdir("/data");
        disk = new MemoryBlockDevice("disk", 4096, 512);
        CowFs.mkfs(disk);
        vfs.mount("/data", CowFs.mount(disk));
        fs = FileSystems.newFileSystem(URI.create("libos://test"), Map.of("vfs", vfs));
    }

    @AfterEach
    void close() throws Exception {
        fs.close();
        vfs.close();
    }

    @Test
    void filesApiWorksOnTheVfs() throws Exception {
        Path dir = fs.getPath("/data/a/b/c");
        Files.createDirectories(dir);
        Path file = dir.resolve("hello.txt");
        Files.writeString(file, "hello through nio");
        assertEquals("hello through nio", Files.readString(file));
        assertArrayEquals("hello through nio".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(file));
        assertEquals("hello through nio", Files.readString(Paths.get(URI.create("libos://test/data/a/b/c/hello.txt"))));
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        assertEquals(17, attributes.size());
        assertTrue(attributes.isRegularFile());
        assertTrue(Files.isDirectory(dir));
        assertTrue(Files.exists(file));
        Files.write(dir.resolve("second"), List.of("one", "two"));
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(p -> names.add(p.getFileName().toString()));
        }
        assertEquals(List.of("hello.txt", "second"), names);
        Path moved = fs.getPath("/data/moved.txt");
        Files.move(file, moved);
        assertFalse(Files.exists(file));
        assertEquals("hello through nio", Files.readString(moved));
        assertThrows(FileAlreadyExistsException.class, () -> Files.move(moved, dir.resolve("second")));
        Files.move(moved, dir.resolve("second"), StandardCopyOption.REPLACE_EXISTING);
        assertThrows(DirectoryNotEmptyException.class, () -> Files.delete(dir));
        Files.delete(dir.resolve("second"));
        Files.delete(dir);
        assertThrows(NoSuchFileException.class, () -> Files.readAllBytes(dir.resolve("second")));
        Files.copy(fs.getPath("/data/a"), fs.getPath("/data/a2"));
        assertTrue(Files.isDirectory(fs.getPath("/data/a2")));
        vfs.sync();
    }

    @Test
    void fileChannelWritesAndForceCommitsTheCowfs() throws Exception {
        Path file = fs.getPath("/data/counter");
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap("41".getBytes(StandardCharsets.UTF_8)));
            channel.position(1);
            channel.write(java.nio.ByteBuffer.wrap("2".getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
        }
        assertEquals("42", Files.readString(file));
        // What a fresh mount of the device (a reboot) sees: force committed it.
        Vfs rebooted = new Vfs(CowFs.mount(disk));
        assertEquals(2, rebooted.stat("/counter").size());
    }

    @Test
    void pathsAreSyntactic() {
        Path p = fs.getPath("/a/b/../c/./d");
        assertEquals("/a/c/d", p.normalize().toString());
        assertEquals("c/d", fs.getPath("/a/b").relativize(fs.getPath("/a/b/c/d")).toString());
        assertEquals(fs.getPath("/a"), fs.getPath("/a/b").getParent());
        assertEquals("libos://test/a/b", fs.getPath("/a/b").toUri().toString());
    }
}
