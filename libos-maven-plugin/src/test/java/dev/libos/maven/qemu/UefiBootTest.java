package dev.libos.maven.qemu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.maven.disk.BootDisk;
import dev.libos.maven.disk.GptLayout;
import dev.libos.maven.disk.GptPartition;
import dev.libos.maven.disk.GptWriter;
import dev.libos.maven.disk.Guid;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UefiBootTest {
    @TempDir
    Path temp;

    @Test
    void aMissingOvmfNamesTheSettingAndThePackage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UefiBoot.firmware(temp.resolve("OVMF_CODE_4M.fd"), temp));
        assertTrue(e.getMessage().startsWith("libos.ovmf:") && e.getMessage().contains("apt-get install ovmf"), e.getMessage());
    }

    @Test
    void eachRunGetsAFreshCopyOfTheVariableStore() throws IOException {
        Path code = Files.writeString(temp.resolve("OVMF_CODE_4M.fd"), "code");
        Files.writeString(temp.resolve("OVMF_VARS_4M.fd"), "vars");
        Path build = temp.resolve("target");
        UefiBoot.Firmware firmware = UefiBoot.firmware(code, build);
        Files.writeString(firmware.vars(), "written by the guest");
        assertEquals("vars", Files.readString(UefiBoot.firmware(code, build).vars()));
    }

    @Test
    void theCommandBootsTheFirmwareInsteadOfTheKernelAndOnlyOnQ35() {
        UefiBoot.Firmware firmware = new UefiBoot.Firmware(Path.of("/fw/CODE.fd"), Path.of("/t/VARS.fd"));
        QemuCommand.Vm vm = QemuCommand.Vm.of(false, Path.of("k"), Path.of("i"), "console=ttyS0", "512M", 2).withFirmware(firmware)
                .withDrives(List.of(new QemuDrives.Drive(UefiBoot.DISK_ID, Path.of("/t/disk.raw"), false)));
        String command = String.join(" ", QemuCommand.build("qemu", vm));
        assertFalse(command.contains("-kernel") || command.contains("-initrd") || command.contains("-append"), command);
        assertTrue(command.contains("-drive if=pflash,format=raw,unit=0,readonly=on,file=/fw/CODE.fd -drive if=pflash,format=raw,unit=1,file=/t/VARS.fd"),
                command);
        assertTrue(command.contains("serial=libos-disk") && command.contains(QemuCommand.DEBUG_EXIT_DEVICE), command);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> QemuCommand.build("qemu", vm.withMachine(Machine.MICROVM)));
        assertTrue(e.getMessage().contains("q35"), e.getMessage());
    }

    /** A disk.raw with a state partition, the state partition holding {@code state}. */
    private Path image(byte[] state) throws IOException {
        Path image = Files.createDirectories(temp.resolve("libos"));
        Path disk = image.resolve(BootDisk.FILE);
        long bytes = 8L << 20;
        try (RandomAccessFile raw = new RandomAccessFile(disk.toFile(), "rw")) {
            raw.setLength(bytes);
        }
        GptPartition partition = new GptPartition(BootDisk.STATE_NAME, GptLayout.STATE_TYPE, Guid.derived("s"), 2048, 2048 + 4095);
        try (FileChannel channel = FileChannel.open(disk, StandardOpenOption.WRITE)) {
            GptWriter.write(channel, bytes, Guid.derived("d"), List.of(partition));
            channel.write(java.nio.ByteBuffer.wrap(state), partition.offsetBytes());
        }
        return image;
    }

    @Test
    void theStatePartitionComesFromTheStateFileAndGoesBackToIt() throws IOException {
        long seed = System.nanoTime();
        System.out.println("UefiBootTest seed " + seed);
        Random random = new Random(seed);
        Path image = image(new byte[0]);
        Path stateFile = temp.resolve("state.img");
        List<String> log = new ArrayList<>();
        UefiBoot boot = UefiBoot.prepare(image, temp.resolve("target"), stateFile, false, log::add);
        assertEquals(2L << 20, Files.size(stateFile), "made at the partition's size");
        Path runDisk = boot.drives().get(0).file();
        byte[] written = new byte[2 << 20];
        for (int i = 0; i < 5; i++) {
            int at = random.nextInt(written.length - 70_000);
            byte[] chunk = new byte[1 + random.nextInt(70_000)];
            random.nextBytes(chunk);
            System.arraycopy(chunk, 0, written, at, chunk.length);
        }
        try (FileChannel channel = FileChannel.open(runDisk, StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(written), 2048L * 512);
        }
        boot.saveState();
        assertArrayEquals(written, Files.readAllBytes(stateFile), "seed " + seed);
        // The next run loads it into a new copy of the disk; the built disk.raw is never written.
        UefiBoot next = UefiBoot.prepare(image, temp.resolve("target"), stateFile, false, log::add);
        byte[] disk = Files.readAllBytes(next.drives().get(0).file());
        assertArrayEquals(written, java.util.Arrays.copyOfRange(disk, 2048 * 512, 2048 * 512 + written.length), "seed " + seed);
        byte[] built = Files.readAllBytes(image.resolve(BootDisk.FILE));
        assertTrue(java.util.Arrays.equals(built, 2048 * 512, 2048 * 512 + written.length, new byte[written.length], 0, written.length));
        // A reset starts blank.
        UefiBoot reset = UefiBoot.prepare(image, temp.resolve("target"), stateFile, true, log::add);
        reset.saveState();
        assertArrayEquals(new byte[written.length], Files.readAllBytes(stateFile));
    }

    @Test
    void aStateFileOfAnotherSizeNamesTheSetting() throws IOException {
        Path image = image(new byte[0]);
        Path stateFile = Files.write(temp.resolve("state.img"), new byte[4096]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UefiBoot.prepare(image, temp.resolve("target"), stateFile, false, line -> { }));
        assertTrue(e.getMessage().startsWith("libos.state:") && e.getMessage().contains("libos.state.reset"), e.getMessage());
    }

    @Test
    void anImageWithoutBootDiskSaysHowToMakeOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UefiBoot.prepare(temp, temp.resolve("target"), null, false, line -> { }));
        assertTrue(e.getMessage().contains("libos.disk"), e.getMessage());
    }
}
