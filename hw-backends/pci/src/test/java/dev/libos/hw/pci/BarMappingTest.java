package dev.libos.hw.pci;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Maps {@code resourceN} through FFM mmap; here the file is a regular file of the BAR's size. */
class BarMappingTest {
    private static final int BAR_BYTES = 0x4000;

    @TempDir
    Path temp;
    FakeSysfs.Device fake;

    @BeforeEach
    void createDevice() throws IOException {
        fake = new FakeSysfs(temp.resolve("devices")).device("0000:00:04.0", 0x1af4, 0x1042, 0x018000);
        fake.resources(FakeSysfs.line(0xc000, 0xc03f, 0x40101),
                FakeSysfs.line(0xfebd2000L, 0xfebd2fffL, 0x40200),
                FakeSysfs.line(0, 0, 0), FakeSysfs.line(0, 0, 0),
                FakeSysfs.line(0xfe004000L, 0xfe004000L + BAR_BYTES - 1, 0x14220c));
        ByteBuffer content = ByteBuffer.allocate(BAR_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        content.putInt(0x10, 0xcafef00d);
        Files.write(fake.directory.resolve("resource4"), content.array());
    }

    @Test
    void mappedBarIsSharedWithTheFile() throws IOException {
        PciDevice device = PciDevice.open(fake.directory);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bar = device.mapBar(4, arena);
            assertEquals(BAR_BYTES, bar.byteSize());
            assertEquals(0xcafef00d, bar.get(JAVA_INT_UNALIGNED, 0x10));
            bar.set(JAVA_INT_UNALIGNED, 0x20, 0x12345678);
            bar.set(JAVA_INT_UNALIGNED, BAR_BYTES - 4, 0x0badcafe);
        }
        // MAP_SHARED: the writes reached the file.
        ByteBuffer after = ByteBuffer.wrap(Files.readAllBytes(fake.directory.resolve("resource4")))
                .order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x12345678, after.getInt(0x20));
        assertEquals(0x0badcafe, after.getInt(BAR_BYTES - 4));
    }

    @Test
    void closingTheArenaUnmaps() throws IOException {
        PciDevice device = PciDevice.open(fake.directory);
        Arena arena = Arena.ofConfined();
        MemorySegment bar = device.mapBar(4, arena);
        arena.close();
        assertFalse(bar.scope().isAlive());
        assertThrows(IllegalStateException.class, () -> bar.get(JAVA_INT_UNALIGNED, 0));
    }

    @Test
    void shortResourceFileIsMalformedNotAFault() throws IOException {
        Files.write(fake.directory.resolve("resource4"), new byte[BAR_BYTES / 2]);
        PciDevice device = PciDevice.open(fake.directory);
        try (Arena arena = Arena.ofConfined()) {
            MalformedSysfsException e = assertThrows(MalformedSysfsException.class, () -> device.mapBar(4, arena));
            assertEquals(fake.directory.resolve("resource4"), e.file());
        }
    }

    @Test
    void missingResourceFileIsMalformed() throws IOException {
        PciDevice device = PciDevice.open(fake.directory);
        try (Arena arena = Arena.ofConfined()) {
            MalformedSysfsException e = assertThrows(MalformedSysfsException.class, () -> device.mapBar(1, arena));
            assertTrue(e.getMessage().contains("resource1"), e.getMessage());
        }
    }

    @Test
    void ioOrUnusedBarCannotBeMapped() throws IOException {
        PciDevice device = PciDevice.open(fake.directory);
        try (Arena arena = Arena.ofConfined()) {
            IllegalArgumentException io = assertThrows(IllegalArgumentException.class, () -> device.mapBar(0, arena));
            assertTrue(io.getMessage().contains("not memory"), io.getMessage());
            IllegalArgumentException unused = assertThrows(IllegalArgumentException.class,
                    () -> device.mapBar(2, arena));
            assertTrue(unused.getMessage().contains("not assigned"), unused.getMessage());
        }
    }
}
