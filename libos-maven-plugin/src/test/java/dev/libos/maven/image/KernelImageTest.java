package dev.libos.maven.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelImageTest {
    @TempDir
    Path temp;

    /** The first bytes of a bzImage with the given boot protocol and xloadflags. */
    static byte[] header(int version, int xloadflags) {
        ByteBuffer head = ByteBuffer.allocate(0x400).order(ByteOrder.LITTLE_ENDIAN);
        head.putShort(KernelImage.BOOT_FLAG_OFFSET, (short) 0xAA55);
        head.put(KernelImage.HEADER_OFFSET, "HdrS".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        head.putShort(KernelImage.VERSION_OFFSET, (short) version);
        head.putShort(KernelImage.XLOADFLAGS_OFFSET, (short) xloadflags);
        return head.array();
    }

    @Test
    void acceptsA64BitBzImageAndReturnsItsProtocol() throws IOException {
        Path kernel = temp.resolve("vmlinuz");
        Files.write(kernel, header(0x020F, 0x7F));
        assertEquals(0x020F, KernelImage.requireBootable(kernel));
        assertEquals("2.15", KernelImage.version(0x020F));
        assertEquals(0x0206, KernelImage.requireBootable("old-but-fine", header(0x0206, 0)), "no xloadflags before 2.12");
    }

    @Test
    void aThreeByteFileIsNotAKernelAndTheMessageNamesTheSetting() throws IOException {
        Path kernel = temp.resolve("tiny");
        Files.writeString(kernel, "abc");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelImage.requireBootable(kernel));
        assertTrue(e.getMessage().startsWith("libos.kernel: " + kernel + " is not an x86 Linux kernel"), e.getMessage());
        assertTrue(e.getMessage().contains("HdrS") && e.getMessage().contains("only 3 bytes"), e.getMessage());
    }

    @Test
    void rejectsAMissingMagicABadBootFlagAnOldProtocolAndA32BitKernel() {
        byte[] noMagic = header(0x020F, 1);
        noMagic[KernelImage.HEADER_OFFSET] = 'X';
        assertTrue(message(noMagic).contains("no \"HdrS\""), message(noMagic));
        byte[] noFlag = header(0x020F, 1);
        noFlag[KernelImage.BOOT_FLAG_OFFSET] = 0;
        assertTrue(message(noFlag).contains("0xAA55"), message(noFlag));
        assertTrue(message(header(0x0104, 0)).contains("boot protocol 1.04, too old to load an initramfs"), message(header(0x0104, 0)));
        assertTrue(message(header(0x020C, 0)).contains("32-bit kernel"), message(header(0x020C, 0)));
        for (byte[] bad : new byte[][] {noMagic, noFlag, header(0x0104, 0), header(0x020C, 0)}) {
            assertTrue(message(bad).startsWith("libos.kernel: k "), message(bad));
        }
    }

    @Test
    void randomBytesNeverPassUnlessTheyCarryTheHeader() {
        long seed = System.nanoTime();
        System.out.println("KernelImageTest seed " + seed);
        java.util.Random random = new java.util.Random(seed);
        for (int i = 0; i < 2000; i++) {
            byte[] bytes = new byte[random.nextInt(0x300)];
            random.nextBytes(bytes);
            try {
                KernelImage.requireBootable("random", bytes);
                assertEquals(KernelImage.HEADER_MAGIC, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(KernelImage.HEADER_OFFSET),
                        "seed " + seed);
            } catch (IllegalArgumentException expected) {
                assertTrue(expected.getMessage().startsWith("libos.kernel: random "), "seed " + seed);
            }
        }
    }

    @Test
    void theInstalledCloudKernelPasses() throws IOException {
        Optional<Path> installed = KernelLocator.findCloudKernel(KernelLocator.DEFAULT_DIRECTORY);
        Assumptions.assumeTrue(installed.isPresent(), "no /boot/vmlinuz-*-cloud-amd64 here");
        assertTrue(KernelImage.requireBootable(installed.get()) >= 0x020C);
    }

    private static String message(byte[] head) {
        return assertThrows(IllegalArgumentException.class, () -> KernelImage.requireBootable("k", head)).getMessage();
    }
}
