package dev.libos.guest;

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

/**
 * Brings Linux's own loopback interface {@code lo} up in the guest, as an init system would:
 * with {@code lo} up Linux gives it 127.0.0.1/8, so the JDK's {@code java.net.NetworkInterface}
 * (which asks Linux, not libos) lists one interface and libraries that enumerate interfaces at
 * start-up (Netty) find one. One {@code SIOCGIFFLAGS} and one {@code SIOCSIFFLAGS} ioctl
 * (netdevice(7)) on a datagram socket, through FFM; PID 1 has CAP_NET_ADMIN.
 */
final class LinuxLoopback {
    private static final int AF_INET = 2;
    private static final int SOCK_DGRAM = 2;
    private static final long SIOCGIFFLAGS = 0x8913;
    private static final long SIOCSIFFLAGS = 0x8914;
    private static final short IFF_UP = 0x1;
    private static final short IFF_RUNNING = 0x40;
    /** struct ifreq: char ifr_name[IFNAMSIZ = 16], then a 24-byte union whose first member is short ifr_flags. */
    private static final int IFREQ_BYTES = 40;
    private static final int IFNAMSIZ = 16;

    private LinuxLoopback() {
    }

    /**
     * Sets {@code lo} up.
     *
     * @return null when it is up, else what failed (with errno), for one console line
     */
    static String bringUp() {
        Linker linker = Linker.nativeLinker();
        StructLayout callState = Linker.Option.captureStateLayout();
        VarHandle errno = callState.varHandle(MemoryLayout.PathElement.groupElement("errno"));
        Linker.Option captureErrno = Linker.Option.captureCallState("errno");
        MethodHandle socket = downcall(linker, "socket", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), captureErrno);
        // ioctl(int fd, unsigned long request, ...): variadic after the second argument.
        MethodHandle ioctl = downcall(linker, "ioctl", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_LONG, ValueLayout.ADDRESS), captureErrno, Linker.Option.firstVariadicArg(2));
        MethodHandle close = downcall(linker, "close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(callState);
            int fd = (int) socket.invokeExact(state, AF_INET, SOCK_DGRAM, 0);
            if (fd < 0) {
                return "socket(AF_INET, SOCK_DGRAM) failed: errno " + (int) errno.get(state, 0L);
            }
            try {
                MemorySegment ifreq = arena.allocate(IFREQ_BYTES);
                byte[] name = "lo".getBytes(StandardCharsets.US_ASCII);
                MemorySegment.copy(name, 0, ifreq, ValueLayout.JAVA_BYTE, 0, name.length);
                if ((int) ioctl.invokeExact(state, fd, SIOCGIFFLAGS, ifreq) < 0) {
                    return "ioctl(SIOCGIFFLAGS, lo) failed: errno " + (int) errno.get(state, 0L);
                }
                short flags = ifreq.get(ValueLayout.JAVA_SHORT, IFNAMSIZ);
                if ((flags & IFF_UP) != 0) {
                    return null;
                }
                ifreq.set(ValueLayout.JAVA_SHORT, IFNAMSIZ, (short) (flags | IFF_UP | IFF_RUNNING));
                if ((int) ioctl.invokeExact(state, fd, SIOCSIFFLAGS, ifreq) < 0) {
                    return "ioctl(SIOCSIFFLAGS, lo up) failed: errno " + (int) errno.get(state, 0L);
                }
                return null;
            } finally {
                int ignored = (int) close.invokeExact(fd);
            }
        } catch (Throwable t) {
            return "bringing lo up failed: " + t;
        }
    }

    private static MethodHandle downcall(Linker linker, String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment address = linker.defaultLookup().find(name)
                .orElseThrow(() -> new IllegalStateException("C library has no " + name));
        return linker.downcallHandle(address, descriptor, options);
    }
}
