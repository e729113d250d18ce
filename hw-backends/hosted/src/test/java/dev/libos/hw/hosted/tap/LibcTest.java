package dev.libos.hw.hosted.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** The FFM bindings return the kernel's errno for each call: runs without root. */
class LibcTest {
    @Test
    void openOfAMissingFileLeavesEnoent() {
        try (Arena arena = Arena.ofConfined()) {
            Libc.CallState state = new Libc.CallState(arena);
            assertEquals(-1, Libc.open(state, "/nonexistent/libos-tap-test", Libc.O_RDWR));
            assertEquals(Errno.ENOENT, state.errno());
        }
    }

    @Test
    void callsOnABadDescriptorLeaveEbadf() {
        try (Arena arena = Arena.ofConfined()) {
            Libc.CallState state = new Libc.CallState(arena);
            MemorySegment buffer = arena.allocate(64);
            assertEquals(-1, Libc.read(state, -1, buffer, 64));
            assertEquals(Errno.EBADF, state.errno());
            assertEquals(-1, Libc.write(state, -1, buffer, 64));
            assertEquals(Errno.EBADF, state.errno());
            assertEquals(-1, Libc.fcntl(state, -1, Libc.F_GETFL, 0));
            assertEquals(Errno.EBADF, state.errno());
            assertEquals(-1, Libc.ioctl(state, -1, TunInterfaceRequest.TUNSETIFF, buffer));
            assertEquals(Errno.EBADF, state.errno());
            assertEquals(-1, Libc.close(state, -1));
            assertEquals(Errno.EBADF, state.errno());
        }
    }

    @Test
    void fcntlSetsAndReportsNonBlocking() {
        try (Arena arena = Arena.ofConfined()) {
            Libc.CallState state = new Libc.CallState(arena);
            int fd = Libc.open(state, "/dev/null", Libc.O_RDWR | Libc.O_CLOEXEC);
            assertTrue(fd >= 0, "open /dev/null: " + Errno.describe(state.errno()));
            int flags = Libc.fcntl(state, fd, Libc.F_GETFL, 0);
            assertEquals(0, flags & Libc.O_NONBLOCK);
            assertEquals(0, Libc.fcntl(state, fd, Libc.F_SETFL, flags | Libc.O_NONBLOCK));
            assertEquals(Libc.O_NONBLOCK, Libc.fcntl(state, fd, Libc.F_GETFL, 0) & Libc.O_NONBLOCK);
            assertEquals(0, Libc.close(state, fd));
        }
    }
}
