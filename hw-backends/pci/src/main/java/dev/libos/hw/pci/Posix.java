package dev.libos.hw.pci;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The C library calls user-space PCI and DMA memory need (open, close, mmap, munmap, mlock),
 * bound with FFM. errno is captured with {@code Linker.Option.captureCallState}, since the JVM may
 * overwrite the thread's errno between the call and a later read. The methods here are called at
 * set-up time only (mapping a BAR, growing DMA memory), so each turns a failure into an
 * {@link IOException} naming the call, the path and the errno.
 */
final class Posix {
    static final int O_RDWR = 2;
    static final int O_CREAT = 0x40;
    static final int O_SYNC = 0x101000;
    static final int O_CLOEXEC = 0x80000;
    static final int PROT_READ = 1;
    static final int PROT_WRITE = 2;
    static final int MAP_SHARED = 1;
    static final int MAP_POPULATE = 0x8000;
    /** mmap's failure value, {@code (void *) -1}. */
    private static final long MAP_FAILED = -1L;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    // open(const char *path, int flags, ...): the mode is variadic.
    private static final MethodHandle OPEN = bind("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    // void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset)
    private static final MethodHandle MMAP = bind("mmap",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MUNMAP = bind("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle MLOCK = bind("mlock", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    // int mknod(const char *path, mode_t mode, dev_t dev): a glibc symbol since 2.33.
    private static final MethodHandle MKNOD = bind("mknod", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG));
    static final int S_IFCHR = 0x2000;
    private static final MethodHandle FTRUNCATE = bind("ftruncate", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));

    private Posix() {
    }

    private static MethodHandle bind(String name, FunctionDescriptor descriptor, Linker.Option... extra) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new IllegalStateException("C library has no symbol " + name));
        Linker.Option[] options = new Linker.Option[extra.length + 1];
        options[0] = Linker.Option.captureCallState("errno");
        System.arraycopy(extra, 0, options, 1, extra.length);
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    private static IOException failure(String call, String what, MemorySegment state) {
        return new IOException(call + " failed for " + what + ": errno " + errno(state));
    }

    /** open(2); returns the descriptor. */
    static int open(String path, int flags, int mode) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
            int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(path), flags | O_CLOEXEC, mode);
            if (fd < 0) {
                throw failure("open", path, state);
            }
            return fd;
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("open", t);
        }
    }

    /** close(2); a failure to close a descriptor used only for mmap loses nothing, so it is ignored. */
    static void close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            int ignored = (int) CLOSE.invokeExact(arena.allocate(CAPTURE_LAYOUT), fd);
        } catch (Throwable t) {
            throw new IllegalStateException("close", t);
        }
    }

    /** mknod(2) of a character device node {@code major:minor} with permissions {@code mode}. */
    static void mknodCharacter(String path, int mode, int major, int minor) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
            if ((int) MKNOD.invokeExact(state, arena.allocateFrom(path), S_IFCHR | mode, makedev(major, minor)) != 0) {
                throw failure("mknod", path, state);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("mknod", t);
        }
    }

    /** glibc's makedev: a 64-bit dev_t with the major and minor numbers' bits interleaved as Linux splits them. */
    static long makedev(int major, int minor) {
        long ma = Integer.toUnsignedLong(major);
        long mi = Integer.toUnsignedLong(minor);
        return ((ma & 0xfffff000L) << 32) | ((ma & 0xfffL) << 8) | ((mi & 0xffffff00L) << 12) | (mi & 0xffL);
    }

    /** ftruncate(2), sizing a hugetlbfs file before it is mapped. */
    static void ftruncate(int fd, long bytes, String path) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
            if ((int) FTRUNCATE.invokeExact(state, fd, bytes) != 0) {
                throw failure("ftruncate", path, state);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("ftruncate", t);
        }
    }

    /**
     * mmap(2) of {@code bytes} of {@code fd} from offset 0, read-write. The returned segment is
     * sized and owned by {@code owner}: closing the arena unmaps it.
     */
    static MemorySegment mmap(int fd, long bytes, int flags, Arena owner, String path) throws IOException {
        return mmap(fd, bytes, flags, 0L, owner, path);
    }

    /**
     * mmap(2) of {@code bytes} of {@code fd} from {@code offset} (a multiple of the page size),
     * read-write; otherwise as {@link #mmap(int, long, int, Arena, String)}.
     */
    static MemorySegment mmap(int fd, long bytes, int flags, long offset, Arena owner, String path) throws IOException {
        MemorySegment address;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
            address = (MemorySegment) MMAP.invokeExact(state, MemorySegment.NULL, bytes,
                    PROT_READ | PROT_WRITE, flags, fd, offset);
            if (address.address() == MAP_FAILED) {
                throw failure("mmap", path, state);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("mmap", t);
        }
        long base = address.address();
        return address.reinterpret(bytes, owner, ignored -> munmap(base, bytes));
    }

    private static void munmap(long address, long bytes) {
        try (Arena arena = Arena.ofConfined()) {
            int ignored = (int) MUNMAP.invokeExact(arena.allocate(CAPTURE_LAYOUT),
                    MemorySegment.ofAddress(address), bytes);
        } catch (Throwable t) {
            throw new IllegalStateException("munmap", t);
        }
    }

    /** mlock(2): keeps the pages resident, so their physical addresses do not change. */
    static void mlock(MemorySegment segment, String what) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
            if ((int) MLOCK.invokeExact(state, segment, segment.byteSize()) != 0) {
                throw failure("mlock", what, state);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("mlock", t);
        }
    }
}
