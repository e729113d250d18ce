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

/** A {@link Vfs} under test and helpers to drive it. */
public abstract class VfsFixture {
    protected Vfs vfs;

    // ------------------------------------------------------------------ helpers

    protected void write(String path, byte[] bytes) throws VfsException {
        int fd = vfs.open(path, O_WRONLY | O_CREAT | O_TRUNC);
        try {
            ByteBuffer src = ByteBuffer.wrap(bytes);
            while (src.hasRemaining()) {
                vfs.write(fd, src);
            }
        } finally {
            vfs.close(fd);
        }
    }

    protected void write(String path, String text) throws VfsException {
        write(path, text.getBytes(UTF_8));
    }

    protected byte[] read(String path) throws VfsException {
        int fd = vfs.open(path, O_RDONLY);
        try {
            return readAll(fd);
        } finally {
            vfs.close(fd);
        }
    }

    protected byte[] readAll(int fd) throws VfsException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        while (vfs.read(fd, buffer.clear()) > 0) {
            out.write(buffer.array(), 0, buffer.position());
        }
        return out.toByteArray();
    }

    protected String readText(String path) throws VfsException {
        return new String(read(path), UTF_8);
    }

    protected static Errno errno(Executable call) {
        return assertThrows(VfsException.class, call).errno();
    }

    protected List<String> names(String dir) throws VfsException {
        List<String> names = new ArrayList<>();
        for (DirEntry e : vfs.readdir(dir)) {
            names.add(e.name());
        }
        return names;
    }

}
