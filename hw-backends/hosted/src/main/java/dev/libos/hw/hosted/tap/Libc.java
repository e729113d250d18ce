package dev.libos.hw.hosted.tap;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The six C library calls the TAP device needs, bound with FFM. Every call captures {@code errno}
 * into a {@link CallState} owned by the caller ({@code Linker.Option.captureCallState}), since the
 * JVM may overwrite the thread's errno between the call and a later read of it. Each method
 * returns the call's raw result (-1 on failure) and leaves errno in the state; turning failures
 * into exceptions is the caller's business, because some (EAGAIN) are expected outcomes.
 */
final class Libc {
    static final int O_RDWR = 2;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;
    static final int F_GETFL = 3;
    static final int F_SETFL = 4;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    // open(const char *path, int flags, ...): the mode is variadic.
    private static final MethodHandle OPEN = bind("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
            Linker.Option.firstVariadicArg(2));
    // ioctl(int fd, unsigned long request, ...): the argument is a pointer.
    private static final MethodHandle IOCTL = bind("ioctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), Linker.Option.firstVariadicArg(2));
    // fcntl(int fd, int cmd, ...): the argument is an int.
    private static final MethodHandle FCNTL = bind("fcntl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle READ = bind("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE = bind("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private Libc() {
    }

    private static MethodHandle bind(String name, FunctionDescriptor descriptor, Linker.Option... extra) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new IllegalStateException("C library has no symbol " + name));
        Linker.Option[] options = new Linker.Option[extra.length + 1];
        options[0] = CAPTURE_ERRNO;
        System.arraycopy(extra, 0, options, 1, extra.length);
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    /**
     * Where one thread's calls leave errno. Not thread-safe: give each thread that calls into
     * libc (the receiver, the transmitter) its own.
     */
    static final class CallState {
        private final MemorySegment segment;

        CallState(Arena arena) {
            this.segment = arena.allocate(CAPTURE_LAYOUT);
        }

        /** The errno left by the last call made with this state. */
        int errno() {
            return (int) ERRNO.get(segment, 0L);
        }
    }

    static int open(CallState state, String path, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) OPEN.invokeExact(state.segment, arena.allocateFrom(path), flags, 0);
        } catch (Throwable t) {
            throw rethrow("open", t);
        }
    }

    static int ioctl(CallState state, int fd, long request, MemorySegment argument) {
        try {
            return (int) IOCTL.invokeExact(state.segment, fd, request, argument);
        } catch (Throwable t) {
            throw rethrow("ioctl", t);
        }
    }

    static int fcntl(CallState state, int fd, int command, int argument) {
        try {
            return (int) FCNTL.invokeExact(state.segment, fd, command, argument);
        } catch (Throwable t) {
            throw rethrow("fcntl", t);
        }
    }

    /** {@code read(2)} into a native segment; returns bytes read or -1. */
    static long read(CallState state, int fd, MemorySegment buffer, long length) {
        try {
            return (long) READ.invokeExact(state.segment, fd, buffer, length);
        } catch (Throwable t) {
            throw rethrow("read", t);
        }
    }

    /** {@code write(2)} from a native segment; returns bytes written or -1. */
    static long write(CallState state, int fd, MemorySegment buffer, long length) {
        try {
            return (long) WRITE.invokeExact(state.segment, fd, buffer, length);
        } catch (Throwable t) {
            throw rethrow("write", t);
        }
    }

    static int close(CallState state, int fd) {
        try {
            return (int) CLOSE.invokeExact(state.segment, fd);
        } catch (Throwable t) {
            throw rethrow("close", t);
        }
    }

    private static RuntimeException rethrow(String call, Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("downcall " + call + " failed", t);
    }
}
