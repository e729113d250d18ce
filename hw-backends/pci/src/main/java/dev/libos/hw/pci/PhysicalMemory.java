package dev.libos.hw.pci;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Device registers at a physical address that no bus hands out as a file: {@code mmap} of
 * {@code /dev/mem} at the physical address (virtio-mmio transports, which sit at fixed addresses
 * outside PCI). {@code FileChannel.map} cannot do this: it maps through a file size, and
 * {@code /dev/mem} has none. The file is opened {@code O_SYNC}, so the kernel maps the range
 * uncached.
 *
 * <p>With {@code CONFIG_STRICT_DEVMEM} (Debian's kernels) the kernel refuses RAM and, with
 * {@code CONFIG_IO_STRICT_DEVMEM}, any range a kernel driver has claimed (a busy resource in
 * {@code /proc/iomem}); a device no driver owns is allowed to root. A refusal is an
 * {@link IOException} with errno 1 (EPERM).
 */
public final class PhysicalMemory {
    /** The physical memory device. */
    public static final Path DEV_MEM = Path.of("/dev/mem");
    /** mmap offsets are multiples of the page size; x86-64 base pages are 4 KiB. */
    static final long PAGE_BYTES = 4096;

    private PhysicalMemory() {
    }

    /** Maps {@code bytes} at {@code physicalAddress} of {@link #DEV_MEM}; see {@link #map(Path, long, long, Arena)}. */
    public static MemorySegment map(long physicalAddress, long bytes, Arena owner) throws IOException {
        return map(DEV_MEM, physicalAddress, bytes, owner);
    }

    /**
     * Maps {@code bytes} at offset {@code physicalAddress} of {@code file} read-write and shared.
     * The address need not be page-aligned: the pages around it are mapped and the returned
     * segment is exactly the range asked for. The mapping lives until {@code owner} closes.
     * Accesses through it are plain loads and stores; wrap it in volatile accessors for registers.
     *
     * @param file {@link #DEV_MEM} in the guest; any regular file in tests
     * @throws IllegalArgumentException for a negative address or a size that is not positive
     * @throws IOException when the file cannot be opened or the kernel refuses the mapping
     */
    public static MemorySegment map(Path file, long physicalAddress, long bytes, Arena owner) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(owner, "owner");
        if (physicalAddress < 0 || bytes <= 0 || physicalAddress + bytes < physicalAddress) {
            throw new IllegalArgumentException("physical range 0x" + Long.toHexString(physicalAddress) + " + " + bytes
                    + " bytes is empty or out of range");
        }
        long firstPage = physicalAddress & -PAGE_BYTES;
        long end = physicalAddress + bytes;
        long mappedBytes = ((end + PAGE_BYTES - 1) & -PAGE_BYTES) - firstPage;
        int fd = Posix.open(file.toString(), Posix.O_RDWR | Posix.O_SYNC, 0);
        try {
            MemorySegment pages = Posix.mmap(fd, mappedBytes, Posix.MAP_SHARED, firstPage, owner, file.toString());
            return pages.asSlice(physicalAddress - firstPage, bytes);
        } catch (IOException e) {
            throw new IOException("mapping physical 0x" + Long.toHexString(physicalAddress) + " (" + bytes + " bytes): "
                    + e.getMessage() + " (errno 1 is EPERM: STRICT_DEVMEM refuses RAM and ranges a kernel driver claimed)", e);
        } finally {
            // The mapping keeps its own reference to the file.
            Posix.close(fd);
        }
    }
}
