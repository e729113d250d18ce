package dev.libos.vfs.imagefs;

import static dev.libos.vfs.OpenFlags.O_CREAT;
import static dev.libos.vfs.OpenFlags.O_RDONLY;
import static dev.libos.vfs.OpenFlags.O_WRONLY;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.hw.hosted.block.MemoryBlockDevice;
import dev.libos.vfs.Errno;
import dev.libos.vfs.FileType;
import dev.libos.vfs.Vfs;
import dev.libos.vfs.VfsException;
import dev.libos.vfs.VfsFixture;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The read side of POSIX over an image, the writer, and damaged images. */
class ImageFsTest extends VfsFixture {
    private static final int BLOCK = 512;
    private byte[] big;
    private byte[] image;

    @BeforeEach
    void mountImage() throws Exception {
        big = new byte[5000];
        new SplittableRandom(3).nextBytes(big);
        image = new ImageWriter()
                .addFile("/etc/hosts", "127.0.0.1 localhost\n".getBytes(UTF_8))
                .addFile("/app/data/big.bin", big)
                .addFile("/empty", new byte[0])
                .addDirectory("/app/lib")
                .addSymlink("/app/current", "data")
                .addSymlink("/hosts", "/etc/hosts")
                .addSymlink("/caf\u00e9", "/\u65e5\u672c")
                .toBytes(BLOCK);
        vfs = new Vfs(ImageFs.mount(device("image", image)));
    }

    private static MemoryBlockDevice device(String name, byte[] bytes) {
        MemoryBlockDevice device = new MemoryBlockDevice(name, BLOCK, bytes.length / BLOCK);
        device.load(bytes);
        return device;
    }

    @Test
    void readsFilesDirectoriesAndSymlinks() throws Exception {
        assertEquals("127.0.0.1 localhost\n", readText("/hosts"));
        assertArrayEquals(big, read("/app/current/big.bin"));
        assertArrayEquals(new byte[0], read("/empty"));
        assertEquals(List.of("current", "data", "lib"), names("/app"));
        assertEquals(List.of("app", "caf\u00e9", "empty", "etc", "hosts"), names("/"));
        assertEquals(7, vfs.lstat("/caf\u00e9").size(), "a symlink's size is its target's UTF-8 bytes");
        assertEquals(FileType.SYMLINK, vfs.lstat("/app/current").type());
        assertEquals("data", vfs.readlink("/app/current"));
        assertEquals(5000, vfs.stat("/app/data/big.bin").size());
        assertEquals(4, vfs.stat("/app").links());
        assertEquals("127.0.0.1 localhost\n", readText("/app/lib/../../etc/./hosts"));
        int fd = vfs.open("/app/data/big.bin", O_RDONLY);
        ByteBuffer slice = ByteBuffer.allocate(700);
        assertEquals(700, vfs.pread(fd, slice, 4000));
        assertArrayEquals(java.util.Arrays.copyOfRange(big, 4000, 4700), slice.array());
        vfs.close(fd);
        assertEquals(Errno.ENOENT, errno(() -> vfs.stat("/app/nope")));
    }

    @Test
    void everyChangeIsErofs() {
        assertEquals(Errno.EROFS, errno(() -> vfs.open("/etc/hosts", O_WRONLY)));
        assertEquals(Errno.EROFS, errno(() -> vfs.open("/new", O_WRONLY | O_CREAT)));
        assertEquals(Errno.EROFS, errno(() -> vfs.mkdir("/d")));
        assertEquals(Errno.EROFS, errno(() -> vfs.unlink("/empty")));
        assertEquals(Errno.EROFS, errno(() -> vfs.rename("/empty", "/full")));
        assertEquals(Errno.EROFS, errno(() -> vfs.rmdir("/app/lib")));
        assertEquals(Errno.EROFS, errno(() -> vfs.symlink("x", "/y")));
        assertEquals(Errno.EROFS, errno(() -> vfs.truncate("/empty", 1)));
    }

    @Test
    void imagesOfAHostDirectoryAreDeterministic(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("a/b"));
        Files.writeString(dir.resolve("a/b/c.txt"), "from the host");
        Files.write(dir.resolve("top.bin"), big);
        byte[] first = ImageWriter.fromDirectory(dir).toBytes(4096);
        assertArrayEquals(first, ImageWriter.fromDirectory(dir).toBytes(4096));
        MemoryBlockDevice device = new MemoryBlockDevice("host", 4096, first.length / 4096);
        device.load(first);
        Vfs hosted = new Vfs(ImageFs.mount(device));
        assertEquals(List.of("a", "top.bin"), hosted.readdir("/").stream().map(dev.libos.vfs.DirEntry::name).toList());
        hosted.close();
    }

    @Test
    void hostDirectoryContentsReadBack(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("a/b"));
        Files.writeString(dir.resolve("a/b/c.txt"), "from the host");
        byte[] bytes = ImageWriter.fromDirectory(dir).toBytes(BLOCK);
        vfs = new Vfs(ImageFs.mount(device("host", bytes)));
        assertEquals("from the host", readText("/a/b/c.txt"));
    }

    @Test
    void bitFlipsAreDetectedOrHarmless() throws Exception {
        long seed = System.nanoTime();
        System.out.println("ImageFsTest.bitFlipsAreDetectedOrHarmless seed=" + seed);
        SplittableRandom random = new SplittableRandom(seed);
        int detected = 0;
        for (int trial = 0; trial < 300; trial++) {
            byte[] damaged = image.clone();
            int bit = random.nextInt(damaged.length * 8);
            damaged[bit / 8] ^= (byte) (1 << (bit % 8));
            Vfs v;
            try {
                v = new Vfs(ImageFs.mount(device("damaged", damaged)));
            } catch (VfsException e) {
                assertEquals(Errno.EUCLEAN, e.errno(), e.getMessage());
                assertTrue(e.getMessage().contains("damaged"), e.getMessage());
                detected++;
                continue;
            }
            vfs = v;
            try {
                assertArrayEquals(big, read("/app/data/big.bin"), "seed=" + seed + " bit " + bit);
                assertEquals("127.0.0.1 localhost\n", readText("/etc/hosts"), "seed=" + seed + " bit " + bit);
            } catch (VfsException e) {
                assertEquals(Errno.EIO, e.errno(), e.getMessage());
                detected++;
            }
        }
        assertTrue(detected > 0, "seed=" + seed);
    }

    @Test
    void truncatedImageFailsToMount() {
        byte[] cut = java.util.Arrays.copyOf(image, image.length - BLOCK);
        VfsException e = assertThrows(VfsException.class, () -> ImageFs.mount(device("cut", cut)));
        assertEquals(Errno.EUCLEAN, e.errno());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }
}
