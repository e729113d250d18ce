package dev.libos.maven.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QemuDrivesTest {
    @TempDir
    Path temp;

    @Test
    void eachDriveIsAModernVirtioBlkNamedBySerial() {
        List<String> arguments = QemuDrives.arguments(List.of(
                new QemuDrives.Drive(QemuDrives.FILES_ID, Path.of("/img/files.img"), true),
                new QemuDrives.Drive(QemuDrives.STATE_ID, Path.of("/t/a,b.img"), false)));
        assertEquals(List.of(
                "-drive", "file=/img/files.img,if=none,format=raw,readonly=on,id=disk0",
                "-device", "virtio-blk-pci,drive=disk0,serial=libos-files,disable-legacy=on",
                "-drive", "file=/t/a,,b.img,if=none,format=raw,readonly=off,id=disk1",
                "-device", "virtio-blk-pci,drive=disk1,serial=libos-state,disable-legacy=on"), arguments);
    }

    @Test
    void theStateVolumeGoesOnlyToGuestsThatMountIt() {
        assertTrue(QemuDrives.guestMountsVolumes("rdinit=/jvm/bin/java -- -cp /app/classes:/libos/libos-guest-0.1.0-SNAPSHOT.jar:/libos/x.jar a.B"));
        assertFalse(QemuDrives.guestMountsVolumes("rdinit=/jvm/bin/java -- -cp /app/classes:/libos/libos-core-0.1.0-SNAPSHOT.jar a.B"));
    }

    @Test
    void extraDisksParseAndBadEntriesNameTheSetting() throws IOException {
        Path disk = Files.write(temp.resolve("scratch.img"), new byte[4096]);
        Path odd = Files.write(temp.resolve("odd.img"), new byte[100]);
        assertEquals(List.of(new QemuDrives.Drive("scratch", disk, false)), QemuDrives.parseDisks(" scratch=" + disk + " "));
        assertEquals(List.of(), QemuDrives.parseDisks(null));
        List<String> bad = new ArrayList<>(List.of("scratch", "=" + disk, "a name=" + disk, "x".repeat(21) + "=" + disk,
                "libos-state=" + disk, "s=" + temp.resolve("missing.img"), "s=" + odd, "s=" + disk + ",s=" + disk));
        for (String spec : bad) {
            String message = assertThrows(IllegalArgumentException.class, () -> QemuDrives.parseDisks(spec)).getMessage();
            assertTrue(message.startsWith("disks: "), spec + " -> " + message);
        }
    }
}
