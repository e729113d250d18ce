package dev.libos.core.guest;

/**
 * The Linux system calls guest boot makes. {@link Libc} makes them through FFM; tests record
 * them. Failures are returned as errno values, never thrown: a guest that cannot mount
 * hugetlbfs still runs its application.
 */
public interface LinuxCalls {
    /** errno value returned on success. */
    int OK = 0;

    /** mount(2); returns {@link #OK} or the errno. */
    int mount(String source, String target, String fileSystemType, long flags, String data);

    /**
     * Writes {@code value} to QEMU's isa-debug-exit device; when the device is there QEMU exits
     * at once with status {@code (value << 1) | 1} and this call does not return.
     *
     * @return the errno when the port could not be reached
     */
    int writeDebugExit(int value);

    /** reboot(2) with RB_POWER_OFF; returns only on failure, with the errno. */
    int powerOff();
}
