package dev.libos.maven.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateVolumeTest {
    @TempDir
    Path temp;
    final List<String> warnings = new ArrayList<>();

    @Test
    void createdOnceThenKeptWithItsDataUntilReset() throws IOException {
        Path file = temp.resolve("target/libos-state.img");
        assertEquals(StateVolume.Outcome.CREATED, StateVolume.prepare(file, 1 << 20, false, warnings::add));
        assertEquals(1 << 20, Files.size(file));
        try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(new byte[] {42}), 4096);
        }
        assertEquals(StateVolume.Outcome.KEPT, StateVolume.prepare(file, 1 << 20, false, warnings::add));
        assertEquals(42, Files.readAllBytes(file)[4096], "kept with what the guest wrote");
        assertEquals(List.of(), warnings);

        assertEquals(StateVolume.Outcome.RECREATED, StateVolume.prepare(file, 2 << 20, true, warnings::add));
        assertEquals(2 << 20, Files.size(file));
        assertEquals(0, Files.readAllBytes(file)[4096], "blank again");
    }

    @Test
    void aSizeChangeWarnsAndKeepsTheVolume() throws IOException {
        Path file = temp.resolve("state.img");
        StateVolume.prepare(file, 1 << 20, false, warnings::add);
        assertEquals(StateVolume.Outcome.KEPT, StateVolume.prepare(file, 4 << 20, false, warnings::add));
        assertEquals(1 << 20, Files.size(file));
        assertEquals(1, warnings.size());
        assertTrue(warnings.getFirst().contains("libos.state.reset=true"), warnings.getFirst());
    }

    @Test
    void sizesParseAndBadOnesNameTheSetting() {
        assertEquals(64L << 20, StateVolume.parseSize("libos.state.size", "64M"));
        assertEquals(2L << 30, StateVolume.parseSize("libos.state.size", "2G"));
        for (String bad : new String[] {"0M", "64", "64K", "-1M", "2000G", "", null}) {
            String message = assertThrows(IllegalArgumentException.class, () -> StateVolume.parseSize("libos.state.size", bad)).getMessage();
            assertTrue(message.startsWith("libos.state.size must be") && message.contains("'" + bad + "'"), message);
        }
    }

    @Test
    void somethingElseInThePlaceIsAnError() throws IOException {
        Path directory = Files.createDirectory(temp.resolve("dir.img"));
        IOException e = assertThrows(IOException.class, () -> StateVolume.prepare(directory, 1 << 20, false, warnings::add));
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
    }
}
