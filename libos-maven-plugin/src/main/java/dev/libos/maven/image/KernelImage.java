package dev.libos.maven.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Checks that a file is an x86 Linux kernel QEMU can boot with an initramfs, before the build
 * writes an image around it. The layout is the real-mode kernel header of the Linux x86 boot
 * protocol (Documentation/arch/x86/boot.rst, "The real-mode kernel header"):
 * <pre>
 *   0x1FE  u16  boot_flag   0xAA55
 *   0x202  u32  header      "HdrS"
 *   0x206  u16  version     boot protocol, major.minor as 0xMMmm
 *   0x236  u16  xloadflags  (protocol 2.12+) bit 0: XLF_KERNEL_64, the kernel has a 64-bit entry point
 * </pre>
 * QEMU loads an initrd only for protocol 2.00 and later ("linux kernel too old to load a ram
 * disk"), and libos's guest is a 64-bit JVM.
 */
public final class KernelImage {
    /** The setting every message names. */
    public static final String SETTING = "libos.kernel";

    static final int BOOT_FLAG_OFFSET = 0x1FE;
    static final int HEADER_OFFSET = 0x202;
    static final int VERSION_OFFSET = 0x206;
    static final int XLOADFLAGS_OFFSET = 0x236;
    static final int BOOT_FLAG = 0xAA55;
    /** "HdrS" read as a little-endian u32. */
    static final int HEADER_MAGIC = 0x53726448;
    /** The oldest protocol with which QEMU loads an initrd. */
    static final int MIN_VERSION = 0x0200;
    /** The first protocol with xloadflags. */
    static final int XLOADFLAGS_VERSION = 0x020C;
    static final int XLF_KERNEL_64 = 1;
    private static final int HEADER_BYTES = XLOADFLAGS_OFFSET + 2;

    private KernelImage() {
    }

    /**
     * The boot protocol version of {@code kernel} (0xMMmm).
     *
     * @throws IllegalArgumentException naming {@value #SETTING} and the file when it is not a bootable kernel
     */
    public static int requireBootable(Path kernel) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(kernel)) {
            head = in.readNBytes(HEADER_BYTES);
        }
        return requireBootable(kernel.toString(), head);
    }

    /** As {@link #requireBootable(Path)}, on the file's first bytes. */
    static int requireBootable(String name, byte[] head) {
        ByteBuffer header = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        if (head.length < VERSION_OFFSET + 2 || header.getInt(HEADER_OFFSET) != HEADER_MAGIC) {
            throw notAKernel(name, "no \"HdrS\" Linux boot header at offset 0x202"
                    + (head.length < VERSION_OFFSET + 2 ? " (the file has only " + head.length + " bytes)" : ""));
        }
        if ((header.getShort(BOOT_FLAG_OFFSET) & 0xFFFF) != BOOT_FLAG) {
            throw notAKernel(name, "no 0xAA55 boot flag at offset 0x1FE");
        }
        int version = header.getShort(VERSION_OFFSET) & 0xFFFF;
        if (version < MIN_VERSION) {
            throw new IllegalArgumentException(SETTING + ": " + name + " uses Linux boot protocol " + version(version)
                    + ", too old to load an initramfs (2.00 or later needed); " + hint());
        }
        if (version >= XLOADFLAGS_VERSION && head.length >= HEADER_BYTES
                && (header.getShort(XLOADFLAGS_OFFSET) & XLF_KERNEL_64) == 0) {
            throw new IllegalArgumentException(SETTING + ": " + name + " is a 32-bit kernel (boot protocol "
                    + version(version) + " without XLF_KERNEL_64); the guest JVM needs an x86-64 kernel; " + hint());
        }
        return version;
    }

    /** "2.15" for 0x020F. */
    public static String version(int version) {
        return String.format(Locale.ROOT, "%d.%02d", version >>> 8, version & 0xFF);
    }

    private static IllegalArgumentException notAKernel(String name, String why) {
        return new IllegalArgumentException(SETTING + ": " + name + " is not an x86 Linux kernel (bzImage): " + why + "; " + hint());
    }

    private static String hint() {
        return "set " + SETTING + " to a kernel such as /boot/vmlinuz-*-cloud-amd64";
    }
}
