package dev.libos.examples.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.libos.guest.Disk;
import dev.libos.guest.GuestStorage;
import dev.libos.guest.GuestVolumes;
import dev.libos.guest.VolumeMounter;
import dev.libos.hw.hosted.block.MemoryBlockDevice;
import dev.libos.vfs.nio.LibosFileSystemProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootCounterTest {
    @Test
    void countsBootsOnAHostDirectory(@TempDir Path directory) throws IOException {
        assertNull(BootCounter.advance(directory, "first").previousNote());
        BootCounter.Boot second = BootCounter.advance(directory, "second");
        assertEquals(2, second.boot());
        assertEquals("first", second.previousNote());
        assertEquals("2", Files.readString(directory.resolve(BootCounter.COUNTER_FILE)));
    }

    /** Two "boots" of the guest's storage over one state disk, through the libos: scheme. */
    @Test
    void theSecondBootFindsWhatTheFirstSynced() throws IOException {
        MemoryBlockDevice stateDisk = new MemoryBlockDevice("vdb", 512, 8 * 2048);
        PrintStream console = new PrintStream(new ByteArrayOutputStream());
        for (int boot = 1; boot <= 2; boot++) {
            GuestStorage storage = VolumeMounter.mount(List.of(new Disk(GuestVolumes.STATE_ID, stateDisk, "test")), console);
            try (var fs = LibosFileSystemProvider.instance().newFileSystem("boot-counter-test-" + boot, storage.vfs())) {
                BootCounter.Boot result = BootCounter.advance(fs.getPath(GuestVolumes.STATE_MOUNT_POINT), "note of boot " + boot);
                assertEquals(boot, result.boot());
                assertEquals(boot == 1 ? null : "note of boot 1", result.previousNote());
            }
            // No unmount, no sync: the next "boot" sees only what the fsyncs made durable.
        }
    }
}
