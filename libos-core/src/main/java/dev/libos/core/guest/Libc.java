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

    private final Linker linker = Linker.nativeLinker();
    private final StructLayout callState = Linker.Option.captureStateLayout();
    private final VarHandle errno = callState.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private final MethodHandle mount;
    private final MethodHandle ioperm;
    private final MethodHandle mmap;
    private final MethodHandle reboot;

    /** Looks the functions up in the C library. */
    public Libc() {
        Linker.Option errnoOption = Linker.Option.captureCallState("errno");
        mount = downcall("mount", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS), errnoOption);
        ioperm = downcall("ioperm", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT), errnoOption);
        mmap = downcall("mmap", FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG), errnoOption);
        reboot = downcall("reboot", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), errnoOption);
    }

    private MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option option) {
        MemorySegment address = linker.defaultLookup().find(name)
                .orElseThrow(() -> new IllegalStateException("C library has no " + name));
        return linker.downcallHandle(address, descriptor, option);
    }

    @Override
    public int mount(String source, String target, String fileSystemType, long flags, String data) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(callState);
            MemorySegment options = data == null ? MemorySegment.NULL : arena.allocateFrom(data);
            int result = (int) mount.invokeExact(state, arena.allocateFrom(source), arena.allocateFrom(target),
                    arena.allocateFrom(fileSystemType), flags, options);
            return result == 0 ? OK : (int) errno.get(state, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("mount downcall failed", t);
        }
    }

    @Override
    public int writeDebugExit(int value) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(callState);
            if ((int) ioperm.invokeExact(state, (long) DEBUG_EXIT_PORT, 4L, 1) != 0) {
                return (int) errno.get(state, 0L);
            }
            MemorySegment page = (MemorySegment) mmap.invokeExact(state, MemorySegment.NULL, PAGE_BYTES,
                    (int) PROT_READ_WRITE_EXEC, MAP_PRIVATE_ANONYMOUS, -1, 0L);
            if (page.address() == -1L) {
                return (int) errno.get(state, 0L);
            }
            MemorySegment code = page.reinterpret(PAGE_BYTES);
            MemorySegment.copy(OUT_STUB, 0, code, ValueLayout.JAVA_BYTE, 0, OUT_STUB.length);
            MethodHandle out = linker.downcallHandle(code, FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT));
            out.invokeExact(value);
            return OK; // only when the port has no device behind it
        } catch (Throwable t) {
            throw new IllegalStateException("debug-exit port write failed", t);
        }
    }

    @Override
    public int powerOff() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(callState);
            int result = (int) reboot.invokeExact(state, RB_POWER_OFF);
            return result == 0 ? OK : (int) errno.get(state, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("reboot downcall failed", t);
        }
    }
}
