package dev.libos.maven.qemu;

import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Works out the application's exit status from how QEMU ended and what the console showed
 * (the guest side is {@code dev.libos.core.guest.GuestBoot}):
 * <ol>
 *   <li>QEMU exit code odd and the guest's line {@code libos: exit status N, powering off} seen:
 *       the isa-debug-exit device was written (exit code (N << 1) | 1), and the line, which the
 *       guest prints just before, carries N whole. An odd code without the line is QEMU's own
 *       failure (it exits 1 when, say, a hostfwd port is taken), never "status 0";</li>
 *   <li>the kernel's panic line {@code Attempted to kill init! exitcode=0x...}: the JVM (PID 1)
 *       ended, e.g. by {@code System.exit(N)}; a wait status, so N = (code >> 8) & 0xff, or
 *       128 + signal when the JVM was killed by a signal;</li>
 *   <li>the guest's line {@code libos: exit status N, powering off} (powered off by reboot(2)).</li>
 * </ol>
 * Feed console lines to {@link #observe(String)}, then ask {@link #status(int)}.
 */
public final class GuestExit {
    private static final Pattern INIT_EXIT = Pattern.compile("Attempted to kill init! exitcode=0x([0-9a-fA-F]+)");
    private static final Pattern STATUS_LINE = Pattern.compile("^libos: exit status (-?\\d+), powering off");

    private OptionalInt panicStatus = OptionalInt.empty();
    private OptionalInt reportedStatus = OptionalInt.empty();

    /** Looks at one console line. */
    public void observe(String line) {
        Matcher panic = INIT_EXIT.matcher(line);
        if (panic.find()) {
            int waitStatus = (int) Long.parseLong(panic.group(1), 16);
            int signal = waitStatus & 0x7f;
            panicStatus = OptionalInt.of(signal == 0 ? (waitStatus >> 8) & 0xff : 128 + signal);
        }
        Matcher status = STATUS_LINE.matcher(line.strip());
        if (status.find()) {
            reportedStatus = OptionalInt.of(Integer.parseInt(status.group(1)));
        }
    }

    /**
     * The application's status given QEMU's exit code; empty when nothing says (QEMU itself
     * failed, or the guest stopped without a word).
     */
    public OptionalInt status(int qemuExitCode) {
        if ((qemuExitCode & 1) == 1) {
            return reportedStatus;
        }
        if (qemuExitCode != 0) {
            return OptionalInt.empty();
        }
        return panicStatus.isPresent() ? panicStatus : reportedStatus;
    }
}
