package dev.libos.maven.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CpioWriterTest {
    private static byte[] write(List<CpioEntry> entries, long firstInode) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new CpioWriter(firstInode).write(entries, out);
        return out.toByteArray();
    }

    private static String header(long ino, int mode, long size, int rdevMajor, int rdevMinor, int nameSize) {
        return "070701" + String.format("%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x",
                ino, mode, 0, 0, 1, 0, size, 0, 0, rdevMajor, rdevMinor, nameSize, 0);
    }

    @Test
    void writesTheKnownNewcLayoutSortedWithPaddingAndTrailer() throws IOException {
        byte[] archive = write(List.of(
                CpioEntry.file("d/hi", CpioEntry.Content.of("hello".getBytes(StandardCharsets.US_ASCII)), false),
                CpioEntry.characterDevice("c", 5, 1),
                CpioEntry.directory("d")), 7);

        // Expected bytes built by hand from the format description (CpioNewc).
        String expected =
                // "c": header 110 + "c\0" = 112, already aligned; no data
                header(7, 0020600, 0, 5, 1, 2) + "c\0"
                // "d": 110 + "d\0" = 112; no data
                + header(8, 0040755, 0, 0, 0, 2) + "d\0"
                // "d/hi": 110 + "d/hi\0" = 115 -> 1 NUL; data "hello" 5 -> 3 NULs
                + header(9, 0100644, 5, 0, 0, 5) + "d/hi\0" + "\0" + "hello" + "\0\0\0"
                // trailer: 110 + 11 = 121 -> 3 NULs
                + header(0, 0, 0, 0, 0, 11) + "TRAILER!!!\0" + "\0\0\0";
        assertEquals(expected, new String(archive, StandardCharsets.US_ASCII));
        assertEquals(0, archive.length % 4);
    }

    @Test
    void symlinkDataIsItsTarget() throws IOException {
        String text = new String(write(List.of(CpioEntry.symlink("lib64", "lib")), 1), StandardCharsets.US_ASCII);
        String expected = header(1, 0120777, 3, 0, 0, 6) + "lib64\0" + "lib" + "\0";
        assertEquals(expected, text.substring(0, expected.length()));
    }

    @Test
    void entryOrderDoesNotChangeTheBytes() throws IOException {
        CpioEntry a = CpioEntry.directory("a");
        CpioEntry b = CpioEntry.file("a/b", CpioEntry.Content.of(new byte[] {1, 2, 3}), true);
        CpioEntry c = CpioEntry.directory("a-c");
        assertArrayEquals(write(List.of(a, b, c), 1), write(List.of(c, b, a), 1));
    }

    @Test
    void rejectsDuplicatesAndBadPaths() {
        assertThrows(IllegalArgumentException.class,
                () -> write(List.of(CpioEntry.directory("x"), CpioEntry.directory("x")), 1));
        assertThrows(IllegalArgumentException.class, () -> CpioEntry.directory("/abs"));
        assertThrows(IllegalArgumentException.class, () -> CpioEntry.directory("a//b"));
        assertThrows(IllegalArgumentException.class, () -> new CpioWriter(0));
    }

    @Test
    void parentsListsEveryAncestor() {
        assertEquals(List.of("a", "a/b"), SegmentWriter.parents("a/b/c").stream().map(CpioEntry::path).toList());
        assertEquals(List.of(), SegmentWriter.parents("top"));
    }

    @Test
    void gzipOfEqualInputIsEqualBytes() throws IOException {
        List<CpioEntry> entries = List.of(CpioEntry.file("f", CpioEntry.Content.of(new byte[10_000]), false));
        byte[] first = SegmentWriter.toBytes(entries, 1);
        byte[] second = SegmentWriter.toBytes(entries, 1);
        assertArrayEquals(first, second);
        // gzip header: magic, deflate, no flags, mtime 0
        assertArrayEquals(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0}, java.util.Arrays.copyOf(first, 8));
    }
}
