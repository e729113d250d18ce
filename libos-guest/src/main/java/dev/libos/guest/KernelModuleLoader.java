package dev.libos.guest;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads kernel modules the image carries, as an init would: {@code finit_module(2)} of each
 * uncompressed {@code .ko} file, in the order of the directory's {@code modules.order} (the image
 * goal wrote it from {@code modules.dep}, every module after those it needs). A module already
 * loaded (EEXIST) is fine.
 */
final class KernelModuleLoader {
    /** The file naming the modules of a directory in load order, one a line. */
    static final String ORDER_FILE = "modules.order";
    private static final int SYS_FINIT_MODULE = 313; // x86-64
    private static final int EEXIST = 17;
    private static final int O_RDONLY_CLOEXEC = 0x80000;

    private final MethodHandle open;
    private final MethodHandle close;
    private final MethodHandle syscall3;
    private final StructLayout callState = Linker.Option.captureStateLayout();
    private final VarHandle errno = callState.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    KernelModuleLoader() {
        Linker linker = Linker.nativeLinker();
        Linker.Option captureErrno = Linker.Option.captureCallState("errno");
        // open(path, flags) without O_CREAT reads no mode: called with its two fixed arguments.
        open = LinuxNetworkUp.downcall(linker, "open", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
                captureErrno);
        close = LinuxNetworkUp.downcall(linker, "close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        // glibc has no finit_module wrapper: syscall(SYS_finit_module, fd, param_values, flags).
        syscall3 = LinuxNetworkUp.downcall(linker, "syscall", FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG), captureErrno, Linker.Option.firstVariadicArg(1));
    }

    /**
     * Loads every module {@code directory}'s order file names.
     *
     * @return the module file names loaded
     * @throws IOException naming the order file or the module that failed, with its errno
     */
    List<String> loadAll(Path directory) throws IOException {
        Path orderFile = directory.resolve(ORDER_FILE);
        List<String> modules = moduleOrder(Files.readString(orderFile, StandardCharsets.US_ASCII), orderFile);
        for (String module : modules) {
            load(directory.resolve(module));
        }
        return modules;
    }

    /** The module file names of an order file's text, one a line; blank lines are skipped. */
    static List<String> moduleOrder(String text, Path orderFile) {
        List<String> names = new ArrayList<>();
        for (String line : text.split("\n")) {
            String name = line.strip();
            if (name.isEmpty()) {
                continue;
            }
            if (!name.endsWith(".ko") || name.contains("/")) {
                throw new IllegalArgumentException(orderFile + ": not a module file name: '" + name + "'");
            }
            names.add(name);
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException(orderFile + " names no module");
        }
        return names;
    }

    void load(Path module) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(callState);
            int fd = (int) open.invokeExact(state, arena.allocateFrom(module.toString()), O_RDONLY_CLOEXEC);
            if (fd < 0) {
                throw new IOException("open " + module + ": errno " + (int) errno.get(state, 0L));
            }
            try {
                long result = (long) syscall3.invokeExact(state, (long) SYS_FINIT_MODULE, (long) fd, arena.allocateFrom(""), 0L);
                int error = (int) errno.get(state, 0L);
                if (result != 0 && error != EEXIST) {
                    throw new IOException("finit_module " + module + ": errno " + error);
                }
            } finally {
                int ignored = (int) close.invokeExact(fd);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("loading " + module + " failed: " + t, t);
        }
    }
}
