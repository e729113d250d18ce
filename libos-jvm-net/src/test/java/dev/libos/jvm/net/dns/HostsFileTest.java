package dev.libos.jvm.net.dns;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.api.net.HostNetwork.HostEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostsFileTest {
    @Test
    void linesGiveOneEntryPerNameAndBadLinesAreCountedNotFatal() {
        HostsFile.Parsed parsed = HostsFile.parse("""
                # comment
                127.0.0.1   localhost
                10.0.0.2\tpeer peer.lan   # trailing comment
                ::1 ip6-localhost
                999.1.1.1 bad-address
                10.0.0.3 bad/name
                10.0.0.4
                010.2.3.4 leading-zero-is-ambiguous
                1.2.3 short
                \r
                """);
        List<String> names = parsed.entries().stream().map(HostEntry::name).toList();
        assertEquals(List.of("localhost", "peer", "peer.lan"), names);
        assertEquals("10.0.0.2", parsed.entries().get(1).address().getHostAddress());
        assertEquals(6, parsed.skippedLines(), "IPv6, bad address, bad name, no name, leading zero, short address");
    }

    @Test
    void ipv4LiteralsAreStrict() {
        assertArrayEquals(new byte[] {10, 0, 0, (byte) 255}, HostsFile.parseIpv4("10.0.0.255"));
        for (String bad : new String[] {"", "1.2.3", "1.2.3.4.5", "1.2.3.256", "1..3.4", "+1.2.3.4", "1.2.3.4 ", "1.2.3.0x1",
                "1234.1.1.1", "010.0.0.1"}) {
            assertNull(HostsFile.parseIpv4(bad), bad);
        }
    }

    @Test
    void aMissingFileIsEmptyAndAnOversizedOneIsRefused(@TempDir Path dir) throws IOException {
        assertEquals(List.of(), HostsFile.read(dir.resolve("absent")).entries());
        Path big = dir.resolve("big");
        Files.write(big, new byte[HostsFile.MAX_FILE_BYTES + 1]);
        IOException e = assertThrows(IOException.class, () -> HostsFile.read(big));
        assertTrue(e.getMessage().contains("larger than"), e.getMessage());
        Path ok = dir.resolve("hosts");
        Files.writeString(ok, "192.0.2.1 files.test\n");
        assertEquals("files.test", HostsFile.read(ok).entries().getFirst().name());
    }

    @Test
    void binaryGarbageIsSkipped() {
        byte[] garbage = new byte[5000];
        new java.util.SplittableRandom(7).nextBytes(garbage);
        HostsFile.Parsed parsed = HostsFile.parse(new String(garbage, java.nio.charset.StandardCharsets.ISO_8859_1));
        assertEquals(List.of(), parsed.entries());
    }
}
