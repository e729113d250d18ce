package dev.libos.maven.disk;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A unified kernel image: systemd-stub (Debian's {@code systemd-boot-efi}, {@value #DEFAULT_STUB})
 * with the kernel, the initramfs, the command line and an os-release added as PE sections by
 * {@code objcopy}, one EFI executable that firmware starts as {@code EFI/BOOT/BOOTX64.EFI}.
 * systemd-stub finds the sections by name (.osrel, .cmdline, .initrd, .linux; systemd's "Unified
 * Kernel Image" specification) and hands the kernel its initrd through the LoadFile2 protocol.
 * Each section goes at the next 4 KiB-aligned virtual address after the stub's image (the stub's
 * own SizeOfImage), .linux last as ukify places it.
 *
 * <p>objcopy stamps the PE header with the current time; the stamp is set to 0 and the PE
 * checksum recomputed, so two builds give equal bytes.
 */
public final class UnifiedKernelImage {
    /** Debian's systemd-stub. */
    public static final String DEFAULT_STUB = "/usr/lib/systemd/boot/efi/linuxx64.efi.stub";
    /** objcopy looked up on the PATH by default. */
    public static final String DEFAULT_OBJCOPY = "objcopy";
    private static final long SECTION_ALIGNMENT = 0x1000;

    private UnifiedKernelImage() {
    }

    /**
     * Builds the image at {@code output}.
     *
     * @param stub        systemd-stub ({@code linuxx64.efi.stub})
     * @param objcopy     the objcopy binary
     * @param kernel      the kernel (a bzImage with its EFI stub)
     * @param initramfs   the initramfs
     * @param commandLine the kernel command line
     * @param work        a directory for temporary files
     */
    public static void build(Path stub, String objcopy, Path kernel, Path initramfs, String commandLine, Path output, Path work)
            throws IOException {
        Path osrel = work.resolve("uki-osrel");
        Path cmdline = work.resolve("uki-cmdline");
        Files.writeString(osrel, "NAME=libos\nID=libos\nPRETTY_NAME=\"libos image\"\n", StandardCharsets.US_ASCII);
        Files.writeString(cmdline, commandLine, StandardCharsets.US_ASCII);
        long vma = align(sizeOfImage(stub));
        List<String> command = new ArrayList<>(List.of(objcopy));
        for (Path[] section : new Path[][] {{Path.of(".osrel"), osrel}, {Path.of(".cmdline"), cmdline},
                {Path.of(".initrd"), initramfs}, {Path.of(".linux"), kernel}}) {
            String name = section[0].toString();
            command.addAll(List.of("--add-section", name + "=" + section[1], "--change-section-vma",
                    name + "=0x" + Long.toHexString(vma)));
            vma = align(Math.addExact(vma, Files.size(section[1])));
        }
        command.add(stub.toString());
        command.add(output.toString());
        Files.deleteIfExists(output);
        run(command);
        Files.delete(osrel);
        Files.delete(cmdline);
        makeReproducible(output);
    }

    private static long align(long value) {
        return Math.addExact(value, SECTION_ALIGNMENT - 1) & -SECTION_ALIGNMENT;
    }

    private static void run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            int code = process.waitFor();
            if (code != 0) {
                throw new IOException("objcopy failed (" + code + "): " + output.strip() + "; command: " + String.join(" ", command));
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while objcopy ran");
        }
    }

    /** Offset of the "PE\0\0" signature (the DOS header's e_lfanew), checked. */
    static int peOffset(ByteBuffer head, Path file) throws IOException {
        if (head.limit() < 0x40 || head.getShort(0) != 0x5A4D) {
            throw new IOException(file + " is not a PE file (no MZ header)");
        }
        int pe = head.getInt(0x3c);
        if (pe < 0x40 || pe > head.limit() - 24 - 72 || head.getInt(pe) != 0x00004550) {
            throw new IOException(file + " is not a PE file (bad PE header offset " + pe + ")");
        }
        if (head.getShort(pe + 24) != 0x20b) {
            throw new IOException(file + " is not a PE32+ (64-bit) image");
        }
        return pe;
    }

    private static ByteBuffer head(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file)) {
            ByteBuffer head = ByteBuffer.allocate((int) Math.min(4096, channel.size())).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(head, 0);
            return head.flip();
        }
    }

    /** The PE image's SizeOfImage (optional header offset 56). */
    static long sizeOfImage(Path file) throws IOException {
        ByteBuffer head = head(file);
        return Integer.toUnsignedLong(head.getInt(peOffset(head, file) + 24 + 56));
    }

    /** Sets the COFF TimeDateStamp to 0 and recomputes the optional header's CheckSum. */
    static void makeReproducible(Path file) throws IOException {
        int pe = peOffset(head(file), file);
        int checksumOffset = pe + 24 + 64;
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(pe + 8);
            raf.writeInt(0);
            raf.seek(checksumOffset);
            raf.writeInt(0);
        }
        int checksum = peChecksum(file, checksumOffset);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, checksum), checksumOffset);
        }
    }

    /**
     * The PE checksum (as imagehlp's CheckSumMappedFile computes it): the file summed as 16-bit
     * little-endian words with the carry folded back in, the checksum field counted as zero
     * (it is zero when this runs), plus the file's length.
     */
    static int peChecksum(Path file, int checksumOffset) throws IOException {
        long sum = 0;
        long length = Files.size(file);
        try (FileChannel channel = FileChannel.open(file)) {
            ByteBuffer buffer = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            long position = 0;
            while (position < length) {
                buffer.clear();
                int n = 0;
                while (buffer.hasRemaining() && position + n < length) {
                    int read = channel.read(buffer, position + n);
                    if (read <= 0) {
                        throw new IOException(file + " ended early");
                    }
                    n += read;
                }
                buffer.flip();
                if ((n & 1) == 1 && position + n == length) {
                    buffer.limit(n + 1).put(n, (byte) 0);  // an odd last byte counts as a word with a zero high byte
                }
                while (buffer.remaining() >= 2) {
                    sum += Short.toUnsignedInt(buffer.getShort());
                    sum = (sum & 0xFFFF) + (sum >>> 16);
                }
                position += n;
            }
        }
        return (int) ((sum & 0xFFFF) + length);
    }
}
