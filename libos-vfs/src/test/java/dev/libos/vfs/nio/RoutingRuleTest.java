package dev.libos.vfs.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.vfs.Vfs;
import dev.libos.vfs.ramfs.RamFs;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The routing rule, and the routing provider built by hand (without the JVM property). */
class RoutingRuleTest {
    @TempDir
    Path tmp;

    @Test
    void prefixesMatchWholeNames() {
        RoutingRule rule = RoutingRule.of(List.of("/libos", "/data/"));
        assertTrue(rule.routes("/libos"));
        assertTrue(rule.routes("/libos/a/b"));
        assertFalse(rule.routes("/libosx"));
        assertFalse(rule.routes("/"));
        assertTrue(rule.routes("/data/x"));
        assertEquals(List.of("/libos", "/data"), rule.prefixes());
        assertTrue(RoutingRule.of(List.of("/")).routes("/etc/hosts"));
    }

    @Test
    void badPrefixesAreRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RoutingRule.of(List.of("libos")));
        assertTrue(e.getMessage().contains("\"libos\""), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RoutingRule.of(List.of("/a/../b")));
        assertThrows(IllegalArgumentException.class, () -> RoutingRule.of(List.of()));
    }

    @Test
    void providerRoutesOnlyOnceAVfsIsInstalled() throws Exception {
        VfsRoutingFileSystemProvider provider = new VfsRoutingFileSystemProvider(FileSystems.getDefault().provider());
        Path hostSide = provider.fileSystem().getPath(tmp.toString(), "f");
        Files.writeString(hostSide, "host");
        Vfs vfs = new Vfs(new RamFs());
        vfs.mkdir("/t");
        Path routed = provider.fileSystem().getPath("/t/g");
        assertThrows(Exception.class, () -> Files.writeString(routed, "x"), "not routed yet: the host has no /t");
        provider.install(vfs, RoutingRule.of(List.of("/t")));
        Files.writeString(routed, "vfs");
        assertEquals(3, vfs.stat("/t/g").size());
        assertEquals("host", Files.readString(hostSide));
        provider.uninstall();
        assertThrows(NoSuchFileException.class, () -> Files.readString(routed));
        vfs.close();
    }
}
