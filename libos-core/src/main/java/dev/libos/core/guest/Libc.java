package dev.libos.core.guest;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * {@link LinuxCalls} through FFM downcalls into the C library, errno captured with
 * {@link Linker.Option#captureCallState}.
 *
 * <p>The debug-exit port write: Debian's cloud kernel has no /dev/port, so the port is reached
 * directly. {@code ioperm(2)} grants PID 1 (root) access to port {@value #DEBUG_EXIT_PORT}, then
 * a six-instruction stub, written to an executable page from {@code mmap(2)}, does the
 * {@code out} instruction, which no C library function exposes.
 */
public final class Libc implements LinuxCalls {
    /** I/O port of QEMU's {@code isa-debug-exit} device (its {@code iobase}). */
    public static final int DEBUG_EXIT_PORT = 0xf4;

    private static final long PROT_READ_WRITE_EXEC = 0x1 | 0x2 | 0x4;
    private static final int MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20;
    private static final int RB_POWER_OFF = 0x4321fedc;
    private static final long PAGE_BYTES = 4096;

    /**
     * x86-64 System V: the argument arrives in edi.
     * <pre>
     *   89 f8            mov  eax, edi
     *   ba f4 00 00 00   mov  edx, 0xf4
     *   ef               out  dx, eax
     *   c3               ret
     * </pre>
     */
    private static final byte[] OUT_STUB = {
        (byte) 0x89, (byte) 0xf8,
        (byte) 0xba, (byte) DEBUG_EXIT_PORT, 0x00, 0x00, 0x00,
        (byte) 0xef,
        (byte) 0xc3,
    };

    /**
     * The linker and the errno capture, made at the first call (class initialisation of a holder):
     * a guest whose init stub has mounted everything makes no downcall until it powers off.
     */
    private static final class Ffm {
        static final Linker LINKER = Linker.nativeLinker();
        static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
        static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    }

    private final Downcall mount = new Downcall("mount", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
    private final Downcall ioperm = new Downcall("ioperm", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    private final Downcall mmap = new Downcall("mmap", FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
    private final Downcall reboot = new Downcall("reboot", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    /**
     * One C library function, linked at its first call rather than up front: linking a downcall
     * spins its binding classes, which no AOT cache holds, and takes about a second each under
     * TCG, so a boot that only mounts links {@code mount} alone, and the power-off path links the
     * other three at the end.
     */
    private static final class Downcall {
        private final String name;
        private final FunctionDescriptor descriptor;
        private MethodHandle handle;

        Downcall(String name, FunctionDescriptor descriptor) {
            this.name = name;
            this.descriptor = descriptor;
        }

        synchronized MethodHandle handle() {
            if (handle == null) {
                MemorySegment address = Ffm.LINKER.defaultLookup().find(name)
                        .orElseThrow(() -> new IllegalStateException("C library has no " + name));
                handle = Ffm.LINKER.downcallHandle(address, descriptor, Linker.Option.captureCallState("errno"));
            }
            return handle;
        }
    }

    /** Makes no downcall yet: each function is looked up and linked at its first call. */
    public Libc() {
    }

    @Override
    public int mount(String source, String target, String fileSystemType, long flags, String data) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Ffm.CALL_STATE);
            MemorySegment options = data == null ? MemorySegment.NULL : arena.allocateFrom(data);
            int result = (int) mount.handle().invokeExact(state, arena.allocateFrom(source), arena.allocateFrom(target),
                    arena.allocateFrom(fileSystemType), flags, options);
            return result == 0 ? OK : (int) Ffm.ERRNO.get(state, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("mount downcall failed", t);
        }
    }

    @Override
    public int writeDebugExit(int value) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Ffm.CALL_STATE);
            if ((int) ioperm.handle().invokeExact(state, (long) DEBUG_EXIT_PORT, 4L, 1) != 0) {
                return (int) Ffm.ERRNO.get(state, 0L);
            }
            MemorySegment page = (MemorySegment) mmap.handle().invokeExact(state, MemorySegment.NULL, PAGE_BYTES,
                    (int) PROT_READ_WRITE_EXEC, MAP_PRIVATE_ANONYMOUS, -1, 0L);
            if (page.address() == -1L) {
                return (int) Ffm.ERRNO.get(state, 0L);
            }
            MemorySegment code = page.reinterpret(PAGE_BYTES);
            MemorySegment.copy(OUT_STUB, 0, code, ValueLayout.JAVA_BYTE, 0, OUT_STUB.length);
            MethodHandle out = Ffm.LINKER.downcallHandle(code, FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT));
            out.invokeExact(value);
            return OK; // only when the port has no device behind it
        } catch (Throwable t) {
            throw new IllegalStateException("debug-exit port write failed", t);
        }
    }

    @Override
    public int powerOff() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Ffm.CALL_STATE);
            int result = (int) reboot.handle().invokeExact(state, RB_POWER_OFF);
            return result == 0 ? OK : (int) Ffm.ERRNO.get(state, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("reboot downcall failed", t);
        }
    }
}
