package dev.libos.maven.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DiskFormatTest {
    @Test
    void parsesACommaListCaseAndSpaceInsensitive() {
        assertEquals(EnumSet.of(DiskFormat.QCOW2, DiskFormat.OVA, DiskFormat.CONTAINERDISK),
                DiskFormat.parseList(" qcow2, OVA ,containerdisk,qcow2"));
        assertEquals(Set.of(), DiskFormat.parseList("none"));
        assertEquals(Set.of(), DiskFormat.parseList(""));
        assertEquals(EnumSet.allOf(DiskFormat.class),
                DiskFormat.parseList("raw,qcow2,vmdk,ova,vdi,vhd,gce,ami,containerdisk,firecracker"));
    }

    @Test
    void anUnknownNameIsAnErrorNamingTheSettingAndTheValidNames() {
        var e = assertThrows(IllegalArgumentException.class, () -> DiskFormat.parseList("qcow2,vhdx"));
        assertTrue(e.getMessage().startsWith("libos.formats: unknown format 'vhdx'"), e.getMessage());
        for (DiskFormat format : DiskFormat.values()) {
            assertTrue(e.getMessage().contains(format.settingName()), e.getMessage());
        }
    }

    @Test
    void aRawDiskThatIsNotWholeSectorsIsRefused(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        var raw = java.nio.file.Files.write(dir.resolve("odd.raw"), new byte[1000]);
        var e = assertThrows(IllegalArgumentException.class, () -> Qcow2Writer.write(raw, dir.resolve("odd.qcow2")));
        assertTrue(e.getMessage().contains("odd.raw") && e.getMessage().contains("1000"), e.getMessage());
        var empty = java.nio.file.Files.write(dir.resolve("empty.raw"), new byte[0]);
        assertThrows(IllegalArgumentException.class, () -> VdiWriter.write(empty, dir.resolve("empty.vdi")));
    }
}
