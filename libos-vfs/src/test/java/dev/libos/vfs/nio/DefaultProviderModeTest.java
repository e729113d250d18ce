package dev.libos.vfs.nio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.hw.hosted.block.MemoryBlockDevice;
import dev.libos.vfs.FileType;
import dev.libos.vfs.Vfs;
import dev.libos.vfs.cowfs.CowFs;
import dev.libos.vfs.ramfs.RamFs;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default-provider mode in a JVM started with
 * {@code -Djava.nio.file.spi.DefaultFileSystemProvider=dev.libos.vfs.nio.VfsRoutingFileSystemProvider}
 * (its own surefire execution, see the pom). The code under test is ordinary {@code Path.of} and
 * {@code Files.*} code: only the setup knows about libos. In any other JVM (e.g. {@code -Dtest=}
 * selecting it into the default execution) it is reported as skipped.
 */
@EnabledIfSystemProperty(named = "java.nio.file.spi.DefaultFileSystemProvider", matches = ".*\\.VfsRoutingFileSystemProvider")
class DefaultProviderModeTest {
    private static Vfs vfs;

    @TempDir
    Path hostDir;

    @BeforeAll
    static void installVfs() throws Exception {
        vfs = new Vfs(new RamFs());
        vfs.mkdir("/libos");
        vfs.mkdir("/libos/data");
        MemoryBlockDevice disk = new MemoryBlockDevice("disk", 4096, 1024);
        CowFs.mkfs(disk);
        vfs.mount("/libos/data", CowFs.mount(disk));
        VfsRoutingFileSystemProvider.installed().install(vfs, RoutingRule.of(List.of("/libos")));
    }

    @AfterAll
    static void uninstall() throws Exception {
        VfsRoutingFileSystemProvider.installed().uninstall();
        vfs.close();
    }

    @Test
    void theJvmsDefaultProviderIsTheRoutingProvider() {
        assertInstanceOf(VfsRoutingFileSystemProvider.class, FileSystems.getDefault().provider());
        assertInstanceOf(RoutingPath.class, Path.of("/anything"));
        assertEquals("/a/b", Paths.get("/a", "b").toString());
    }

    @Test
    void filesUnderTheRoutedPrefixLiveInTheVfs() throws Exception {
        Path conf = Path.of("/libos/app/conf");
        Files.createDirectories(conf);
        Path file = conf.resolve("app.properties");
        Files.writeString(file, "greeting=hello\nname=libos\n");

        assertEquals("greeting=hello\nname=libos\n", Files.readString(file));
        assertEquals(List.of("greeting=hello", "name=libos"), Files.readAllLines(file));
        try (Stream<String> lines = Files.lines(file)) { // FileChannel.open underneath
            assertEquals(2, lines.count());
        }
        assertEquals(FileType.REGULAR, vfs.stat("/libos/app/conf/app.properties").type(), "the VFS holds it");
        assertFalse(new File("/libos").exists(), "nothing was written to the host");
        assertTrue(Files.isDirectory(conf));
        assertEquals(26, Files.size(file));
        try (Stream<Path> listing = Files.list(conf)) {
            assertEquals(List.of(file), listing.toList());
        }
        try (Stream<Path> tree = Files.walk(Path.of("/libos/app"))) {
            assertEquals(3, tree.count());
        }
        assertThrows(NoSuchFileException.class, () -> Files.readString(Path.of("/libos/app/missing")));
    }

    @Test
    void channelsStreamsAndMountsInsideTheVfs() throws Exception {
        Path data = Path.of("/libos/data/blob.bin");
        byte[] bytes = new byte[10_000];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 13);
        }
        try (FileChannel channel = FileChannel.open(data, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
            channel.write(ByteBuffer.wrap(bytes));
            channel.force(true); // a cowfs commit
            ByteBuffer back = ByteBuffer.allocate(100);
            channel.read(back, 5000);
            assertArrayEquals(java.util.Arrays.copyOfRange(bytes, 5000, 5100), back.array());
        }
        assertArrayEquals(bytes, Files.readAllBytes(data));
        try (var in = Files.newInputStream(data)) {
            assertEquals(bytes.length, in.readAllBytes().length);
        }
        assertEquals("cowfs", vfs.mounts().get(1).type());
        assertEquals(bytes.length, vfs.stat("/libos/data/blob.bin").size());
    }

    @Test
    void otherPathsStayOnTheHost() throws Exception {
        Path hostFile = hostDir.resolve("host.txt");
        Files.writeString(hostFile, "on the host");
        try (FileInputStream in = new FileInputStream(hostFile.toFile())) {
            assertEquals("on the host", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertFalse(vfs.exists(hostFile.toString()));
        assertEquals(hostFile, hostFile.toFile().toPath());
        assertEquals("/etc/x", Path.of("/libos/../etc/x").normalize().toString());
        assertFalse(Files.exists(Path.of("/libos/../libos-not-routed")), "the rule is lexical, on the normal path");
    }

    @Test
    void copyAndMoveCrossBetweenHostAndVfs() throws Exception {
        Path hostFile = hostDir.resolve("in.txt");
        Files.writeString(hostFile, "crossing");
        Path inVfs = Path.of("/libos/copied.txt");
        Files.copy(hostFile, inVfs, StandardCopyOption.REPLACE_EXISTING);
        assertEquals(8, vfs.stat("/libos/copied.txt").size());
        Path back = hostDir.resolve("back.txt");
        Files.move(inVfs, back);
        assertFalse(vfs.exists("/libos/copied.txt"));
        assertEquals("crossing", Files.readString(back));
        assertFalse(Files.isSameFile(hostFile, Path.of("/libos")));
    }

    @Test
    void javaIoBypassesTheVfs() throws Exception {
        Path file = Path.of("/libos/bypass.txt");
        Files.writeString(file, "only in the VFS");
        File asFile = file.toFile();
        assertThrows(FileNotFoundException.class, () -> new FileInputStream(asFile).close(),
                "java.io goes to the host, where /libos does not exist");
        assertEquals("only in the VFS", Files.readString(asFile.toPath()), "File.toPath() comes back to the VFS");
    }
}
