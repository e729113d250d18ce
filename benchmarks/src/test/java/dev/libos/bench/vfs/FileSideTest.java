package dev.libos.bench.vfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every side does every job and gets the expected results; the store checks refuse the wrong kind. */
class FileSideTest {
    @TempDir
    Path dir;

    private static void doesEveryJob(FileSide side) throws Exception {
        try (side) {
            side.createStatUnlink("meta");
            side.createStatUnlink("meta"); // unlinked, so the exclusive create works again
            ByteBuffer data = ByteBuffer.allocateDirect(FileSide.SMALL_FILE_BYTES);
            for (int i = 0; i < data.capacity(); i++) {
                data.put(i, (byte) (i + 5));
            }
            ByteBuffer back = ByteBuffer.allocateDirect(FileSide.SMALL_FILE_BYTES);
            assertEquals(5, side.smallFileWriteFsyncRead("small", data, back));
            assertEquals(-1, data.clear().mismatch(back.clear()));
            ByteBuffer chunk = ByteBuffer.allocateDirect(FileSide.CHUNK_BYTES);
            side.sequentialWrite("sequential", chunk);
            assertEquals(FileSide.LARGE_FILE_BYTES, side.sequentialRead("sequential", chunk));
            side.prepareFile("large", new byte[123_456]);
            assertEquals(123_456, side.sequentialRead("large", chunk));
        }
    }

    @Test
    void ramfsSide() throws Exception {
        doesEveryJob(VfsSide.ramfs());
    }

    @Test
    void cowfsSideDeletesItsDeviceFile() throws Exception {
        doesEveryJob(VfsSide.cowfsOnFileIn(dir));
        try (var left = Files.list(dir)) {
            assertEquals(0, left.count());
        }
    }

    @Test
    void nioSideDeletesItsDirectory() throws Exception {
        String type = Files.getFileStore(dir).type();
        doesEveryJob(NioSide.in(dir, type.equals("tmpfs") ? "tmpfs" : null));
        try (var left = Files.list(dir)) {
            assertEquals(0, left.count());
        }
    }

    @Test
    void storeKindIsChecked() throws Exception {
        String type = Files.getFileStore(dir).type();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NioSide.in(dir, type.equals("tmpfs") ? null : "tmpfs"));
        assertEquals(true, e.getMessage().contains(dir.toString()), e.getMessage());
    }
}
