package dev.libos.hw.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResourceFileTest {
    private static final Path FILE = Path.of("/sys/bus/pci/devices/0000:00:03.0/resource");

    @Test
    void parsesVirtioNetResources() throws Exception {
        // As QEMU's virtio-net-pci shows it: BAR1 32-bit MMIO, BAR4 64-bit prefetchable, ROM at line 6.
        String content = FakeSysfs.line(0xc040, 0xc05f, 0x40101)
                + FakeSysfs.line(0xfebd1000L, 0xfebd1fffL, 0x40200)
                + FakeSysfs.line(0, 0, 0) + FakeSysfs.line(0, 0, 0)
                + FakeSysfs.line(0xfe000000L, 0xfe003fffL, 0x14220c)
                + FakeSysfs.line(0, 0, 0)
                + FakeSysfs.line(0xfeb80000L, 0xfebbffffL, 0x46200);
        List<BarResource> bars = ResourceFile.parse(content, FILE);

        assertEquals(7, bars.size());
        assertTrue(bars.get(0).isIo());
        assertEquals(0x20, bars.get(0).size());
        assertTrue(bars.get(1).isMemory());
        assertEquals(0x1000, bars.get(1).size());
        assertFalse(bars.get(2).isPresent());
        assertTrue(bars.get(4).is64Bit());
        assertTrue(bars.get(4).isPrefetchable());
        assertEquals(0xfe000000L, bars.get(4).start());
        assertEquals(0x4000, bars.get(4).size());
        assertEquals(6, bars.get(6).index());
    }

    @Test
    void garbageLineNamesTheFileAndLine() {
        String content = FakeSysfs.line(0, 0, 0) + "0xzz 0x0 0x0\n";
        MalformedSysfsException e = assertThrows(MalformedSysfsException.class,
                () -> ResourceFile.parse(content, FILE));
        assertEquals(FILE, e.file());
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        assertTrue(e.getMessage().contains(FILE.toString()), e.getMessage());
    }

    @Test
    void wrongFieldCountIsMalformed() {
        MalformedSysfsException e = assertThrows(MalformedSysfsException.class,
                () -> ResourceFile.parse("0x1000 0x1fff\n", FILE));
        assertTrue(e.getMessage().contains("2 fields"), e.getMessage());
    }

    @Test
    void endBeforeStartIsMalformed() {
        assertThrows(MalformedSysfsException.class,
                () -> ResourceFile.parse(FakeSysfs.line(0x2000, 0x1fff, 0x200), FILE));
    }

    @Test
    void tooLongNumberIsMalformed() {
        assertThrows(MalformedSysfsException.class,
                () -> ResourceFile.parse("0x10000000000000000 0x0 0x0\n", FILE));
    }
}
