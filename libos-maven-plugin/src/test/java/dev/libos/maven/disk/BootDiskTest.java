package dev.libos.maven.disk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootDiskTest {
    @TempDir
    Path temp;

    private BootDisk.Settings settings(long diskBytes) {
        return new BootDisk.Settings(diskBytes, 8L << 20, Path.of(UnifiedKernelImage.DEFAULT_STUB), "objcopy");
    }

    /** Stand-ins for the kernel, initramfs and files volume (objcopy only copies their bytes). */
    private Path[] inputs() throws IOException {
        Random random = new Random(1);
        byte[] kernel = new byte[300_000];
        byte[] initramfs = new byte[200_001];
        byte[] files = new byte[3 * 4096];
        random.nextBytes(kernel);
        random.nextBytes(initramfs);
        random.nextBytes(files);
        return new Path[] {Files.write(temp.resolve("vmlinuz"), kernel), Files.write(temp.resolve("initramfs"), initramfs),
                Files.write(temp.resolve("files.img"), files)};
    }

    private BootDisk.Layout write(BootDisk.Settings settings, Path[] in, Path output) throws IOException {
        return BootDisk.write(settings, in[0], in[1], "console=ttyS0 -- -Dx=y", in[2], output);
    }

    @Test
    void twoBuildsAreByteIdenticalAndToolsAccept() throws Exception {
        assumeTrue(DiskTools.hasStub(), "systemd-boot-efi or binutils not installed");
        Path[] in = inputs();
        Path first = temp.resolve("a.raw");
        Path second = temp.resolve("b.raw");
        BootDisk.Layout layout = write(settings(128L << 20), in, first);
        write(settings(128L << 20), in, second);
        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
        assertEquals(128L << 20, Files.size(first));
        byte[] disk = Files.readAllBytes(first);
        byte[] filesPartition = java.util.Arrays.copyOfRange(disk, (int) layout.files().offsetBytes(),
                (int) (layout.files().offsetBytes() + Files.size(in[2])));
        assertArrayEquals(Files.readAllBytes(in[2]), filesPartition);
        if (DiskTools.has("sgdisk")) {
            DiskTools.Result verify = DiskTools.run("sgdisk", "-v", first.toString());
            assertTrue(verify.output().contains("No problems found"), verify.output());
        }
        if (DiskTools.has("mcopy")) {
            Path esp = temp.resolve("esp.img");
            Files.write(esp, java.util.Arrays.copyOfRange(disk, (int) layout.esp().offsetBytes(),
                    (int) (layout.esp().offsetBytes() + layout.esp().sizeBytes())));
            Path uki = temp.resolve("uki.efi");
            DiskTools.Result copy = DiskTools.run("mcopy", "-i", esp.toString(), "::/EFI/BOOT/BOOTX64.EFI", uki.toString());
            assertEquals(0, copy.code(), copy.output());
            DiskTools.Result sections = DiskTools.run("objdump", "-h", uki.toString());
            for (String section : new String[] {".osrel", ".cmdline", ".initrd", ".linux"}) {
                assertTrue(sections.output().contains(section), sections.output());
            }
            ByteBuffer pe = ByteBuffer.wrap(Files.readAllBytes(uki)).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(0, pe.getInt(pe.getInt(0x3c) + 8), "PE time stamp");
        }
    }

    @Test
    void aDiskTooSmallNamesTheSetting() throws IOException {
        assumeTrue(DiskTools.hasStub(), "systemd-boot-efi or binutils not installed");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> write(settings(32L << 20), inputs(), temp.resolve("small.raw")));
        assertTrue(e.getMessage().startsWith("libos.diskSize:"), e.getMessage());
    }

    @Test
    void aMissingStubOrObjcopyNamesTheSettingAndThePackage() {
        IllegalArgumentException stub = assertThrows(IllegalArgumentException.class, () -> BootDisk.check(
                new BootDisk.Settings(1L << 30, 64L << 20, temp.resolve("no-stub"), "objcopy")));
        assertTrue(stub.getMessage().startsWith("libos.efiStub:") && stub.getMessage().contains("systemd-boot-efi"), stub.getMessage());
        assumeTrue(Files.isRegularFile(Path.of(UnifiedKernelImage.DEFAULT_STUB)));
        IllegalArgumentException objcopy = assertThrows(IllegalArgumentException.class, () -> BootDisk.check(
                new BootDisk.Settings(1L << 30, 64L << 20, Path.of(UnifiedKernelImage.DEFAULT_STUB), "no-such-objcopy")));
        assertTrue(objcopy.getMessage().startsWith("libos.objcopy:") && objcopy.getMessage().contains("binutils"), objcopy.getMessage());
    }

    @Test
    void peChecksumMatchesTheLinkersOnTheStub() throws IOException {
        Path stub = Path.of(UnifiedKernelImage.DEFAULT_STUB);
        assumeTrue(Files.isRegularFile(stub), "systemd-boot-efi not installed");
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(stub)).order(ByteOrder.LITTLE_ENDIAN);
        int checksumOffset = bytes.getInt(0x3c) + 24 + 64;
        int expected = bytes.getInt(checksumOffset);
        bytes.putInt(checksumOffset, 0);
        Path copy = Files.write(temp.resolve("stub"), bytes.array());
        assertEquals(expected, UnifiedKernelImage.peChecksum(copy, checksumOffset));
    }
}
