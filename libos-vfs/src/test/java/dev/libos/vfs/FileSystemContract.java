package dev.libos.vfs;

import static dev.libos.vfs.OpenFlags.O_APPEND;
import static dev.libos.vfs.OpenFlags.O_CREAT;
import static dev.libos.vfs.OpenFlags.O_DIRECTORY;
import static dev.libos.vfs.OpenFlags.O_EXCL;
import static dev.libos.vfs.OpenFlags.O_NOFOLLOW;
import static dev.libos.vfs.OpenFlags.O_RDONLY;
import static dev.libos.vfs.OpenFlags.O_RDWR;
import static dev.libos.vfs.OpenFlags.O_TRUNC;
import static dev.libos.vfs.OpenFlags.O_WRONLY;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.vfs.spi.FileSystem;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

/**
 * POSIX semantics every writable file system must show, run through the {@link Vfs} with the
 * file system under test mounted at "/". A subclass supplies the file system in a few lines;
 * a persistent one also overrides {@link #remount()}.
 */
public abstract class FileSystemContract extends VfsFixture {

    /** A new, empty file system. */
    protected abstract FileSystem newFileSystem() throws Exception;

    /**
     * Unmounts and mounts the same storage again; the contract then checks that what was
     * synced is there. Memory file systems return false (nothing to remount).
     */
    protected boolean remount() throws Exception {
        return false;
    }

    @BeforeEach
    void mountFileSystem() throws Exception {
        vfs = new Vfs(newFileSystem());
    }

    @AfterEach
    void closeVfs() throws Exception {
        if (vfs != null) {
            vfs.close();
        }
    }

    // ------------------------------------------------------------------ files

    @Test
    void writtenBytesReadBack() throws Exception {
        write("/a", "hello, world");
        assertEquals("hello, world", readText("/a"));
        assertEquals(12, vfs.stat("/a").size());
        assertEquals(FileType.REGULAR, vfs.stat("/a").type());
    }

    @Test
    void missingFileIsEnoentNamingThePath() {
        VfsException e = assertThrows(VfsException.class, () -> vfs.open("/nope/x", O_RDONLY));
        assertEquals(Errno.ENOENT, e.errno());
        assertTrue(e.getMessage().contains("/nope/x"), e.getMessage());
        assertTrue(e.getMessage().startsWith("ENOENT"), e.getMessage());
    }

    @Test
    void exclusiveCreateOfAnExistingFileIsEexist() throws Exception {
        write("/a", "x");
        assertEquals(Errno.EEXIST, errno(() -> vfs.open("/a", O_WRONLY | O_CREAT | O_EXCL)));
        vfs.close(vfs.open("/b", O_WRONLY | O_CREAT | O_EXCL));
        assertEquals(0, vfs.stat("/b").size());
    }

    @Test
    void truncateOnOpenEmptiesTheFile() throws Exception {
        write("/a", "something long");
        vfs.close(vfs.open("/a", O_WRONLY | O_TRUNC));
        assertEquals(0, vfs.stat("/a").size());
    }

    @Test
    void appendWritesAtTheEndWhateverTheOffset() throws Exception {
        write("/a", "abc");
        int fd = vfs.open("/a", O_WRONLY | O_APPEND);
        vfs.seek(fd, 0, Whence.SET);
        vfs.write(fd, ByteBuffer.wrap("def".getBytes(UTF_8)));
        vfs.close(fd);
        assertEquals("abcdef", readText("/a"));
    }

    @Test
    void positionalIoLeavesTheOffsetAlone() throws Exception {
        write("/a", "0123456789");
        int fd = vfs.open("/a", O_RDWR);
        ByteBuffer two = ByteBuffer.allocate(2);
        assertEquals(2, vfs.pread(fd, two, 4));
        assertEquals("45", new String(two.array(), UTF_8));
        vfs.pwrite(fd, ByteBuffer.wrap("xy".getBytes(UTF_8)), 8);
        ByteBuffer first = ByteBuffer.allocate(3);
        vfs.read(fd, first);
        assertEquals("012", new String(first.array(), UTF_8));
        assertEquals(3, vfs.seek(fd, 0, Whence.CUR));
        vfs.close(fd);
        assertEquals("01234567xy", readText("/a"));
    }

    @Test
    void writingPastTheEndLeavesAZeroFilledHole() throws Exception {
        int fd = vfs.open("/h", O_RDWR | O_CREAT);
        vfs.pwrite(fd, ByteBuffer.wrap(new byte[] {7}), 10_000);
        assertEquals(10_001, vfs.fstat(fd).size());
        ByteBuffer all = ByteBuffer.allocate(10_001);
        while (all.hasRemaining() && vfs.pread(fd, all, all.position()) > 0) {
            // keep reading
        }
        vfs.close(fd);
        byte[] expected = new byte[10_001];
        expected[10_000] = 7;
        assertArrayEquals(expected, all.array());
    }

    @Test
    void readAtEndOfFileReturnsMinusOne() throws Exception {
        write("/a", "ab");
        int fd = vfs.open("/a", O_RDONLY);
        assertEquals(-1, vfs.pread(fd, ByteBuffer.allocate(4), 2));
        assertEquals(-1, vfs.pread(fd, ByteBuffer.allocate(4), 100));
        vfs.close(fd);
    }

    @Test
    void truncateShrinksAndGrowsWithZeros() throws Exception {
        write("/a", "abcdef");
        vfs.truncate("/a", 3);
        assertEquals("abc", readText("/a"));
        vfs.truncate("/a", 5);
        assertArrayEquals(new byte[] {'a', 'b', 'c', 0, 0}, read("/a"));
        int fd = vfs.open("/a", O_RDWR);
        vfs.ftruncate(fd, 1);
        assertEquals(1, vfs.fstat(fd).size());
        vfs.close(fd);
        assertEquals(Errno.EISDIR, errno(() -> vfs.truncate("/", 0)));
        assertEquals(Errno.EINVAL, errno(() -> vfs.truncate("/a", -1)));
    }

    @Test
    void seekFromTheEnd() throws Exception {
        write("/a", "abcdef");
        int fd = vfs.open("/a", O_RDONLY);
        assertEquals(4, vfs.seek(fd, -2, Whence.END));
        assertEquals("ef", new String(readAll(fd), UTF_8));
        assertEquals(Errno.EINVAL, errno(() -> vfs.seek(fd, -100, Whence.END)));
        vfs.close(fd);
    }

    @Test
    void largeFileSurvivesRandomOverwrites() throws Exception {
        long seed = System.nanoTime();
        System.out.println("largeFileSurvivesRandomOverwrites seed=" + seed);
        Random random = new Random(seed);
        byte[] model = new byte[300_000];
        random.nextBytes(model);
        write("/big", model);
        int fd = vfs.open("/big", O_RDWR);
        for (int i = 0; i < 50; i++) {
            int at = random.nextInt(model.length - 5000);
            byte[] patch = new byte[1 + random.nextInt(5000)];
            random.nextBytes(patch);
            System.arraycopy(patch, 0, model, at, patch.length);
            vfs.pwrite(fd, ByteBuffer.wrap(patch), at);
        }
        vfs.fsync(fd);
        vfs.close(fd);
        assertArrayEquals(model, read("/big"), "seed=" + seed);
        if (remount()) {
            assertArrayEquals(model, read("/big"), "after remount, seed=" + seed);
        }
    }

    // ------------------------------------------------------------------ descriptors

    @Test
    void descriptorMisuseIsEbadf() throws Exception {
        write("/a", "x");
        int fd = vfs.open("/a", O_RDONLY);
        assertEquals(Errno.EBADF, errno(() -> vfs.write(fd, ByteBuffer.allocate(1))));
        vfs.close(fd);
        assertEquals(Errno.EBADF, errno(() -> vfs.read(fd, ByteBuffer.allocate(1))));
        assertEquals(Errno.EBADF, errno(() -> vfs.close(fd)));
        int wfd = vfs.open("/a", O_WRONLY);
        assertEquals(Errno.EBADF, errno(() -> vfs.read(wfd, ByteBuffer.allocate(1))));
        vfs.close(wfd);
        assertEquals(Errno.EINVAL, errno(() -> vfs.open("/a", 0x4000_0000)));
    }

    @Test
    void lowestFreeDescriptorIsReused() throws Exception {
        write("/a", "x");
        int first = vfs.open("/a", O_RDONLY);
        int second = vfs.open("/a", O_RDONLY);
        vfs.close(first);
        assertEquals(first, vfs.open("/a", O_RDONLY));
        assertNotEquals(first, second);
    }

    @Test
    void directoriesOpenOnlyForReading() throws Exception {
        vfs.mkdir("/d");
        write("/f", "x");
        assertEquals(Errno.EISDIR, errno(() -> vfs.open("/d", O_WRONLY)));
        int fd = vfs.open("/d", O_RDONLY | O_DIRECTORY);
        assertEquals(Errno.EISDIR, errno(() -> vfs.read(fd, ByteBuffer.allocate(1))));
        vfs.close(fd);
        assertEquals(Errno.ENOTDIR, errno(() -> vfs.open("/f", O_RDONLY | O_DIRECTORY)));
        assertEquals(Errno.EISDIR, errno(() -> vfs.open("/d/", O_WRONLY | O_CREAT)));
    }

    // ------------------------------------------------------------------ directories

    @Test
    void directoriesListSortedAndRemoveOnlyWhenEmpty() throws Exception {
        vfs.mkdir("/d");
        write("/d/b", "1");
        write("/d/a", "2");
        vfs.mkdir("/d/c");
        assertEquals(List.of("a", "b", "c"), names("/d"));
        assertEquals(Errno.ENOTEMPTY, errno(() -> vfs.rmdir("/d")));
        assertEquals(Errno.ENOTDIR, errno(() -> vfs.rmdir("/d/a")));
        assertEquals(Errno.EISDIR, errno(() -> vfs.unlink("/d/c")));
        vfs.rmdir("/d/c");
        vfs.unlink("/d/a");
        vfs.unlink("/d/b");
        vfs.rmdir("/d");
        assertFalse(vfs.exists("/d"));
        assertEquals(List.of(), names("/"));
    }

    @Test
    void mkdirErrors() throws Exception {
        vfs.mkdir("/d");
        write("/f", "x");
        assertEquals(Errno.EEXIST, errno(() -> vfs.mkdir("/d")));
        assertEquals(Errno.EEXIST, errno(() -> vfs.mkdir("/f")));
        assertEquals(Errno.EEXIST, errno(() -> vfs.mkdir("/")));
        assertEquals(Errno.ENOENT, errno(() -> vfs.mkdir("/missing/d")));
        assertEquals(Errno.ENOTDIR, errno(() -> vfs.mkdir("/f/d")));
        assertEquals(Errno.ENAMETOOLONG, errno(() -> vfs.mkdir("/" + "n".repeat(256))));
        vfs.mkdir("/" + "n".repeat(255));
    }

    @Test
    void rmdirErrors() throws Exception {
        assertEquals(Errno.EBUSY, errno(() -> vfs.rmdir("/")));
        vfs.mkdir("/d");
        assertEquals(Errno.EINVAL, errno(() -> vfs.rmdir("/d/.")));
        assertEquals(Errno.ENOENT, errno(() -> vfs.rmdir("/e")));
    }

    @Test
    void directoryLinkCountsFollowSubdirectories() throws Exception {
        vfs.mkdir("/d");
        assertEquals(2, vfs.stat("/d").links());
        vfs.mkdir("/d/x");
        vfs.mkdir("/d/y");
        assertEquals(4, vfs.stat("/d").links());
        vfs.rename("/d/y", "/y");
        assertEquals(3, vfs.stat("/d").links());
        vfs.rmdir("/d/x");
        assertEquals(2, vfs.stat("/d").links());
    }

    @Test
    void dotAndDotDotResolve() throws Exception {
        vfs.mkdir("/a");
        vfs.mkdir("/a/b");
        write("/a/f", "dots");
        assertEquals("dots", readText("/a/b/../f"));
        assertEquals("dots", readText("/a/./b/./../f"));
        assertEquals("dots", readText("/../../a/f"));
        assertEquals("dots", readText("//a///f"));
        assertEquals(vfs.stat("/a").ino(), vfs.stat("/a/b/..").ino());
        assertEquals(Errno.ENOTDIR, errno(() -> vfs.stat("/a/f/")));
        assertEquals(Errno.ENOTDIR, errno(() -> vfs.stat("/a/f/..")));
    }

    @Test
    void createInARemovedDirectoryIsEnoent() throws Exception {
        vfs.mkdir("/d");
        vfs.rmdir("/d");
        assertEquals(Errno.ENOENT, errno(() -> vfs.open("/d/f", O_WRONLY | O_CREAT)));
    }

    // ------------------------------------------------------------------ rename

    @Test
    void renameMovesAndReplacesAFile() throws Exception {
        write("/a", "new");
        write("/b", "old");
        vfs.mkdir("/d");
        vfs.rename("/a", "/b");
        assertFalse(vfs.exists("/a"));
        assertEquals("new", readText("/b"));
        vfs.rename("/b", "/d/c");
        assertEquals("new", readText("/d/c"));
        assertEquals(List.of("d"), names("/"));
    }

    @Test
    void renameOfTwoNamesOfOneFileDoesNothing() throws Exception {
        write("/a", "x");
        vfs.link("/a", "/b");
        vfs.rename("/a", "/b");
        assertTrue(vfs.exists("/a"));
        assertTrue(vfs.exists("/b"));
    }

    @Test
    void renameDirectoryRules() throws Exception {
        vfs.mkdir("/d");
        vfs.mkdir("/d/sub");
        write("/d/sub/f", "deep");
        vfs.mkdir("/empty");
        vfs.mkdir("/full");
        write("/full/x", "x");
        write("/file", "f");
        assertEquals(Errno.EINVAL, errno(() -> vfs.rename("/d", "/d/sub/inside")));
        assertEquals(Errno.EINVAL, errno(() -> vfs.rename("/d", "/d/inside")));
        assertEquals(Errno.ENOTEMPTY, errno(() -> vfs.rename("/d", "/full")));
        assertEquals(Errno.ENOTDIR, errno(() -> vfs.rename("/d", "/file")));
        assertEquals(Errno.EISDIR, errno(() -> vfs.rename("/file", "/empty")));
        assertEquals(Errno.ENOENT, errno(() -> vfs.rename("/missing", "/x")));
        assertEquals(Errno.EBUSY, errno(() -> vfs.rename("/", "/x")));
        vfs.rename("/d", "/empty");
        assertEquals("deep", readText("/empty/sub/f"));
        assertFalse(vfs.exists("/d"));
    }

    // ------------------------------------------------------------------ links

    @Test
    void hardLinksShareDataAndCountLinks() throws Exception {
        write("/a", "shared");
        vfs.link("/a", "/b");
        assertEquals(2, vfs.stat("/a").links());
        assertEquals(vfs.stat("/a").ino(), vfs.stat("/b").ino());
        write("/b", "changed");
        assertEquals("changed", readText("/a"));
        vfs.unlink("/a");
        assertEquals(1, vfs.stat("/b").links());
        assertEquals("changed", readText("/b"));
        vfs.mkdir("/d");
        assertEquals(Errno.EPERM, errno(() -> vfs.link("/d", "/e")));
        assertEquals(Errno.EEXIST, errno(() -> vfs.link("/b", "/d")));
        assertEquals(Errno.ENOENT, errno(() -> vfs.link("/zz", "/e")));
    }

    @Test
    void unlinkedFileStaysUsableWhileOpen() throws Exception {
        write("/a", "still here");
        int fd = vfs.open("/a", O_RDWR);
        vfs.unlink("/a");
        assertFalse(vfs.exists("/a"));
        assertEquals(0, vfs.fstat(fd).links());
        assertEquals("still here", new String(readAll(fd), UTF_8));
        vfs.pwrite(fd, ByteBuffer.wrap("S".getBytes(UTF_8)), 0);
        ByteBuffer one = ByteBuffer.allocate(1);
        vfs.pread(fd, one, 0);
        assertEquals('S', one.get(0));
        vfs.close(fd);
        assertEquals(Errno.ENOENT, errno(() -> vfs.stat("/a")));
    }

    @Test
    void symlinksResolveRelativeAndAbsolute() throws Exception {
        vfs.mkdir("/d");
        write("/d/target", "pointed at");
        vfs.symlink("target", "/d/rel");
        vfs.symlink("/d/target", "/abs");
        vfs.symlink("/d", "/dirlink");
        assertEquals("pointed at", readText("/d/rel"));
        assertEquals("pointed at", readText("/abs"));
        assertEquals("pointed at", readText("/dirlink/rel"));
        assertEquals("target", vfs.readlink("/d/rel"));
        assertEquals(FileType.SYMLINK, vfs.lstat("/abs").type());
        assertEquals(FileType.REGULAR, vfs.stat("/abs").type());
        assertEquals(Errno.ELOOP, errno(() -> vfs.open("/abs", O_RDONLY | O_NOFOLLOW)));
        assertEquals(Errno.EINVAL, errno(() -> vfs.readlink("/d/target")));
        vfs.unlink("/abs");
        assertTrue(vfs.exists("/d/target"), "unlinking a symlink leaves its target");
    }

    @Test
    void symlinkSizeIsTheTargetsUtf8ByteCount() throws Exception {
        String target = "/caf\u00e9/\u65e5\u672c"; // 5 ASCII, a 2-byte é, two 3-byte CJK characters
        vfs.symlink(target, "/link");
        assertEquals(target.getBytes(UTF_8).length, vfs.lstat("/link").size());
        assertEquals(13, vfs.lstat("/link").size());
        assertEquals(target, vfs.readlink("/link"));
    }

    @Test
    void danglingAndLoopingSymlinks() throws Exception {
        vfs.symlink("/nowhere", "/dangling");
        assertEquals(Errno.ENOENT, errno(() -> vfs.stat("/dangling")));
        assertEquals(FileType.SYMLINK, vfs.lstat("/dangling").type());
        vfs.symlink("/loop2", "/loop1");
        vfs.symlink("/loop1", "/loop2");
        VfsException e = assertThrows(VfsException.class, () -> vfs.stat("/loop1"));
        assertEquals(Errno.ELOOP, e.errno());
        assertTrue(e.getMessage().contains("/loop1"), e.getMessage());
        vfs.symlink("self/x", "/self");
        assertEquals(Errno.ELOOP, errno(() -> vfs.stat("/self")));
    }

    // ------------------------------------------------------------------ durability and threads

    @Test
    void syncedTreeSurvivesRemount() throws Exception {
        vfs.mkdir("/etc");
        write("/etc/hosts", "127.0.0.1 localhost");
        vfs.symlink("/etc/hosts", "/hosts");
        vfs.link("/etc/hosts", "/etc/hosts.bak");
        vfs.sync();
        if (remount()) {
            assertEquals("127.0.0.1 localhost", readText("/hosts"));
            assertEquals(2, vfs.stat("/etc/hosts.bak").links());
            assertEquals(List.of("hosts", "hosts.bak"), names("/etc"));
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void threadsWorkingOnTheirOwnFilesDoNotInterfere() throws Exception {
        int threads = 4;
        List<Thread> workers = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            String dir = "/t" + t;
            byte tag = (byte) t;
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    vfs.mkdir(dir);
                    for (int i = 0; i < 50; i++) {
                        byte[] bytes = new byte[100 + i];
                        java.util.Arrays.fill(bytes, tag);
                        write(dir + "/f" + i, bytes);
                        assertArrayEquals(bytes, read(dir + "/f" + i));
                        if (i % 2 == 0) {
                            vfs.rename(dir + "/f" + i, dir + "/g" + i);
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread w : workers) {
            w.join();
        }
        assertEquals(List.of(), failures);
        for (int t = 0; t < threads; t++) {
            assertEquals(50, vfs.readdir("/t" + t).size());
        }
    }
}
