package dev.libos.core.guest;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Guest-side boot, used by {@code dev.libos.core.Boot} when the JVM is PID 1 (the image's init
 * stub execs it, or the kernel starts it with {@code rdinit=}): mounts those of the kernel's file
 * systems that the stub did not ({@link GuestMounts}), records the
 * boot timeline ({@link BootTimeline}) and prints it when main starts, and at the end powers the
 * VM off carrying the exit status. ({@code Boot} runs the boot hooks in between.)
 *
 * <p>How the exit status leaves the VM, in order of preference:
 * <ol>
 *   <li>QEMU's isa-debug-exit device at port {@value Libc#DEBUG_EXIT_PORT}: QEMU exits with
 *       {@code (status << 1) | 1} (statuses above {@value #MAX_CARRIED_STATUS} are written as
 *       {@value #MAX_CARRIED_STATUS}); the console line {@code "libos: exit status N, powering off"},
 *       printed just before, carries N whole and tells the run goal that the odd exit code is the
 *       guest's and not QEMU's own failure;</li>
 *   <li>without that device, reboot(2) powers off after the console line
 *       {@code "libos: exit status N, powering off"};</li>
 *   <li>when the application calls {@code System.exit(N)} the JVM ends, and the kernel reports
 *       {@code "Attempted to kill init! exitcode=0x0000NN00"} on the console before it reboots.</li>
 * </ol>
 */
public final class GuestBoot {
    /** Largest status the debug-exit device carries intact (QEMU's exit code is 8 bits). */
    public static final int MAX_CARRIED_STATUS = 127;
    /** Console line prefix that the run goal reads when no other channel carried the status. */
    public static final String EXIT_STATUS_LINE = "libos: exit status ";
    /** System property the image build's AOT training run sets ({@link #rehearse()}). */
    public static final String TRAINING_PROPERTY = "libos.aot.training";

    private final LinuxCalls calls;
    private final PrintStream console;
    private final long jvmStartUptimeNanos;
    private final long anchorUptimeNanos;
    private final long anchorNanoTime;
    private final long mainEnteredUptimeNanos;
    private long libosReadyUptimeNanos = -1;

    /**
     * @param calls               system calls
     * @param console             where the timeline and failures are printed
     * @param jvmStartUptimeNanos kernel uptime when the JVM started
     * @param anchorUptimeNanos   kernel uptime at {@code anchorNanoTime}, taken after the mounts (/proc is readable from then on)
     * @param anchorNanoTime      a {@link System#nanoTime()} reading taken with the anchor uptime;
     *                            later instants are the anchor plus elapsed nanoTime
     */
    GuestBoot(LinuxCalls calls, PrintStream console, long jvmStartUptimeNanos, long anchorUptimeNanos, long anchorNanoTime) {
        this(calls, console, jvmStartUptimeNanos, anchorUptimeNanos, anchorNanoTime, anchorUptimeNanos);
    }

    /** @param mainEnteredUptimeNanos kernel uptime as Boot.main began (at or before the anchor) */
    GuestBoot(LinuxCalls calls, PrintStream console, long jvmStartUptimeNanos, long anchorUptimeNanos, long anchorNanoTime,
              long mainEnteredUptimeNanos) {
        this.mainEnteredUptimeNanos = mainEnteredUptimeNanos;
        this.calls = calls;
        this.console = console;
        this.jvmStartUptimeNanos = jvmStartUptimeNanos;
        this.anchorUptimeNanos = anchorUptimeNanos;
        this.anchorNanoTime = anchorNanoTime;
    }

    /**
     * When this JVM is PID 1, mounts the guest's file systems and starts the timeline.
     *
     * @return the guest boot, or null when running hosted (not PID 1)
     */
    public static GuestBoot enterIfPid1(PrintStream console) {
        return enterIfPid1(console, System.nanoTime());
    }

    /**
     * When this JVM is PID 1, mounts the guest's file systems and starts the timeline; in an AOT
     * training run ({@value #TRAINING_PROPERTY}{@code =true}, hosted) rehearses that instead.
     *
     * @param mainEnteredNanoTime {@link System#nanoTime()} as Boot.main began: the timeline's
     *                            "Boot.main" instant (the mounts count towards "libos ready")
     * @return the guest boot, or null when running hosted (not PID 1)
     */
    public static GuestBoot enterIfPid1(PrintStream console, long mainEnteredNanoTime) {
        if (ProcessHandle.current().pid() != 1) {
            if (Boolean.getBoolean(TRAINING_PROPERTY)) {
                rehearse();
            }
            return null;
        }
        LinuxCalls calls = new Libc();
        GuestMounts.mountMissing(calls, GuestMounts.MOUNTS, readOrNull(Path.of("/proc/self/mounts")), console);
        long anchorNanoTime = System.nanoTime();
        long uptimeNanos;
        try {
            uptimeNanos = BootTimeline.parseUptimeNanos(Files.readString(Path.of("/proc/uptime")));
        } catch (IOException | IllegalArgumentException e) {
            console.println("libos: cannot read /proc/uptime, timeline counts from zero: " + e);
            uptimeNanos = 0;
        }
        long jvmAgeNanos = ManagementFactory.getRuntimeMXBean().getUptime() * 1_000_000L;
        long mainEnteredUptimeNanos = Math.max(0, uptimeNanos - Math.max(0, anchorNanoTime - mainEnteredNanoTime));
        return new GuestBoot(calls, console, Math.max(0, uptimeNanos - jvmAgeNanos), uptimeNanos, anchorNanoTime,
                mainEnteredUptimeNanos);
    }

    private static String readOrNull(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The guest boot's class loading and linking without its effects, for the image build's AOT
     * training run on the host (where this JVM is not PID 1): the mount(2) downcall is linked and
     * one is made that cannot succeed (mount(2) on the empty path fails with ENOENT whoever
     * calls it), the timeline's classes and the JVM's uptime are used. The AOT cache then holds
     * these classes loaded and linked, which otherwise the guest alone would load, from the
     * runtime's modules, at every boot.
     */
    static void rehearse() {
        Libc libc = new Libc();
        libc.mount("none", "", "none", 0, null);
        GuestMounts.mountMissing(libc, List.of(), readOrNull(Path.of("/proc/self/mounts")), System.err);
        try {
            BootTimeline.parseUptimeNanos(Files.readString(Path.of("/proc/uptime")));
        } catch (IOException | IllegalArgumentException e) {
            // not Linux: nothing to rehearse here
        }
        long age = ManagementFactory.getRuntimeMXBean().getUptime() * 1_000_000L;
        new BootTimeline(0, age, age, age).format();
    }

    /** Records that the libos kernel has booted. */
    public void libosReady() {
        libosReady(System.nanoTime());
    }

    void libosReady(long nanoTime) {
        libosReadyUptimeNanos = uptimeAt(nanoTime);
    }

    /** Records that main is about to start and prints the timeline. */
    public void mainStarting() {
        mainStarting(System.nanoTime());
    }

    BootTimeline mainStarting(long nanoTime) {
        long main = uptimeAt(nanoTime);
        BootTimeline timeline = new BootTimeline(jvmStartUptimeNanos, mainEnteredUptimeNanos,
                libosReadyUptimeNanos < 0 ? main : libosReadyUptimeNanos, main);
        console.println(timeline.format());
        return timeline;
    }

    /**
     * Powers the VM off carrying {@code status}. In a VM this does not return; it returns only
     * when every channel failed (the caller then exits the JVM, and the kernel reports the
     * status as init's exit code).
     */
    public void powerOff(int status) {
        int carried = status < 0 || status > MAX_CARRIED_STATUS ? MAX_CARRIED_STATUS : status;
        console.println(EXIT_STATUS_LINE + status + ", powering off");
        console.flush();
        System.out.flush();
        System.err.flush();
        int portErrno = calls.writeDebugExit(carried);
        int rebootErrno = calls.powerOff();
        console.println("libos: power off failed (debug-exit errno " + portErrno + ", reboot errno " + rebootErrno + ")");
    }

    private long uptimeAt(long nanoTime) {
        return anchorUptimeNanos + (nanoTime - anchorNanoTime);
    }
}
