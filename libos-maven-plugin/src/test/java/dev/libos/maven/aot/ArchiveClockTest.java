package dev.libos.maven.aot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a synthetic archive laid out as JDK 25's (header with its CRC at 4 over bytes 16.., the heap
 * region's CRC in the header) and a map in the JVM's format. Against a real JDK dump it runs in
 * every image build with the AOT cache, whose result a JVM then maps with -XX:+VerifySharedSpaces.
 */
class ArchiveClockTest {
    @TempDir
    Path dir;

    private static final int HEADER = 256;
    private static final int HEAP_FILE = 4096;
    private static final long HEAP_BASE = 0xf8000000L;
    private static final int HEAP_USED = 1024;
    private static final int HEAP_CRC_AT = 100;

    private static int crc(byte[] b, int from, int len) {
        CRC32 c = new CRC32();
        c.update(b, from, len);
        return (int) c.getValue();
    }

    private byte[] archive(long clock) {
        byte[] file = new byte[HEAP_FILE + HEAP_USED];
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 0xf00baba2).putInt(8, 19).putInt(12, HEADER);
        for (int i = 0; i < HEAP_USED; i += 8) {
            b.putLong(HEAP_FILE + i, 0x1111_0000_0000L + i);
        }
        b.putLong(HEAP_FILE + 0x20 + 32, clock);   // SoftReference at 0xf8000020, timestamp @32
        b.putLong(HEAP_FILE + 0x100 + 120, clock); // SoftReference's mirror at 0xf8000100, clock @120
        b.putInt(HEAP_CRC_AT, crc(file, HEAP_FILE, HEAP_USED));
        b.putInt(4, crc(file, 16, HEADER - 16));
        return file;
    }

    private List<String> map(byte[] file, long clock) {
        int heapCrc = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getInt(HEAP_CRC_AT);
        List<String> map = new ArrayList<>(List.of("Static CDS archive map for x.aot",
                "- crc:                            0x12345678",
                "============ region ============= 0 \"rw\"",
                "- crc:                            0x00000001",
                "- is_heap_region:                 0",
                "- file_offset:                    0x1000",
                "============ region ============= 3 \"hp\"",
                "- crc:                            0x" + Integer.toHexString(heapCrc),
                "- is_heap_region:                 1",
                "- file_offset:                    0x" + Integer.toHexString(HEAP_FILE),
                "- mapping_offset:                 0x" + Long.toHexString(HEAP_BASE),
                "- used:                           " + HEAP_USED,
                "============ end regions ======== ",
                "0x00000000f8000020: @@ Object (0xf8000020) java.lang.ref.SoftReference",
                " - klass: 'java/lang/ref/SoftReference' 0x000000080015f6a0",
                " - private 'referent' 'Ljava/lang/Object;' @12 0x00000000f8015da0 (0xf8015da0) java.lang.invoke.LambdaForm",
                " - volatile 'queue' 'Ljava/lang/ref/ReferenceQueue;' @16 0x00000000f8015d50 (0xf8015d50) java.lang.ref.ReferenceQueue$Null",
                " - private 'timestamp' 'J' @32  " + clock + " (0x" + String.format("%016x", clock) + ")",
                "0x00000000f8000060: @@ Object (0xf8000060) a.Other",
                " - private 'timestamp' 'J' @16  " + 0x1111_0000_0000L + " (0x0000111100000000)",
                "0x00000000f8000100: @@ Object (0xf8000100) java.lang.Class Ljava/lang/ref/SoftReference; (aot-inited)",
                " - private static 'clock' 'J' @120  " + clock + " (0x" + String.format("%016x", clock) + ")"));
        return map;
    }

    @Test
    void theClockFieldsBecomeZeroAndTheCrcsMatchAgain() throws IOException {
        Path a = dir.resolve("a.aot");
        Path b = dir.resolve("b.aot");
        Files.write(a, archive(72_043_205L));
        Files.write(b, archive(81_000_001L));
        Files.write(dir.resolve("a.map"), map(Files.readAllBytes(a), 72_043_205L));
        Files.write(dir.resolve("b.map"), map(Files.readAllBytes(b), 81_000_001L));
        assertEquals(2, ArchiveClock.zero(a, dir.resolve("a.map")));
        assertEquals(2, ArchiveClock.zero(b, dir.resolve("b.map")));
        byte[] out = Files.readAllBytes(a);
        assertEquals(java.util.Arrays.toString(out), java.util.Arrays.toString(Files.readAllBytes(b)), "two clocks, one archive");
        ByteBuffer buffer = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0, buffer.getLong(HEAP_FILE + 0x20 + 32));
        assertEquals(0, buffer.getLong(HEAP_FILE + 0x100 + 120));
        assertEquals(0x1111_0000_0000L + 0x60 + 16, buffer.getLong(HEAP_FILE + 0x60 + 16), "not a Reference: untouched");
        assertEquals(crc(out, HEAP_FILE, HEAP_USED), buffer.getInt(HEAP_CRC_AT));
        assertEquals(crc(out, 16, HEADER - 16), buffer.getInt(4));
    }

    @Test
    void aMapThatDoesNotMatchTheFileLeavesItAsItWas() throws IOException {
        Path a = dir.resolve("a.aot");
        byte[] original = archive(5);
        Files.write(a, original);
        Files.write(dir.resolve("wrong-value.map"), map(original, 6));
        var e = assertThrows(IOException.class, () -> ArchiveClock.zero(a, dir.resolve("wrong-value.map")));
        assertTrue(e.getMessage().contains("does not hold"), e.getMessage());
        byte[] badHeader = original.clone();
        badHeader[20] ^= 1;
        Files.write(a, badHeader);
        Files.write(dir.resolve("ok.map"), map(original, 5));
        e = assertThrows(IOException.class, () -> ArchiveClock.zero(a, dir.resolve("ok.map")));
        assertTrue(e.getMessage().contains("header's CRC"), e.getMessage());
        assertEquals(java.util.Arrays.toString(badHeader), java.util.Arrays.toString(Files.readAllBytes(a)));
    }
}
