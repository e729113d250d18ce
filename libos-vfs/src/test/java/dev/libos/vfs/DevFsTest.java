package dev.libos.vfs;

import static dev.libos.vfs.OpenFlags.O_CREAT;
import static dev.libos.vfs.OpenFlags.O_RDONLY;
import static dev.libos.vfs.OpenFlags.O_WRONLY;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.libos.vfs.devfs.DevFs;
import dev.libos.vfs.ramfs.RamFs;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DevFsTest {
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private Vfs vfs;

    @BeforeEach
    void mountDev() throws Exception {
        vfs = new Vfs(new RamFs());
        vfs.mkdir("/dev");
        vfs.mount("/dev", new DevFs(new SplittableRandom(42), console));
    }

    private int readInto(String path, ByteBuffer dst) throws VfsException {
        int fd = vfs.open(path, O_RDONLY);
        try {
            return vfs.read(fd, dst);
        } finally {
            vfs.close(fd);
        }
    }

    private void writeTo(String path, String text) throws VfsException {
        int fd = vfs.open(path, O_WRONLY);
        try {
            assertEquals(text.length(), vfs.write(fd, ByteBuffer.wrap(text.getBytes(UTF_8))));
        } finally {
            vfs.close(fd);
        }
    }

    @Test
    void listsTheDevices() throws Exception {
        assertEquals(List.of("console", "null", "urandom", "zero"), vfs.readdir("/dev").stream().map(DirEntry::name).toList());
        assertEquals(FileType.CHAR_DEVICE, vfs.stat("/dev/null").type());
    }

    @Test
    void nullEndsAtOnceAndSwallowsWrites() throws Exception {
        assertEquals(-1, readInto("/dev/null", ByteBuffer.allocate(8)));
        writeTo("/dev/null", "gone");
    }

    @Test
    void zeroReadsZeros() throws Exception {
        ByteBuffer buffer = ByteBuffer.allocate(16);
        buffer.put(0, (byte) 9);
        assertEquals(16, readInto("/dev/zero", buffer));
        assertArrayEquals(new byte[16], buffer.array());
    }

    @Test
    void urandomReadsTheInjectedSource() throws Exception {
        ByteBuffer buffer = ByteBuffer.allocate(16);
        assertEquals(16, readInto("/dev/urandom", buffer));
        byte[] expected = new byte[16];
        new SplittableRandom(42).nextBytes(expected);
        assertArrayEquals(expected, buffer.array());
    }

    @Test
    void consoleWritesReachTheStream() throws Exception {
        writeTo("/dev/console", "hello console\n");
        assertEquals("hello console\n", console.toString(UTF_8));
    }

    @Test
    void theNamespaceIsFixed() {
        assertEquals(Errno.EPERM, assertThrows(VfsException.class, () -> vfs.open("/dev/new", O_WRONLY | O_CREAT)).errno());
        assertEquals(Errno.EPERM, assertThrows(VfsException.class, () -> vfs.unlink("/dev/null")).errno());
        assertEquals(Errno.ENOTDIR, assertThrows(VfsException.class, () -> vfs.stat("/dev/null/x")).errno());
    }
}
