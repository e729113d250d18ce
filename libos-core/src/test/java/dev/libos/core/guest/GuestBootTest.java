package dev.libos.core.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuestBootTest {
    /** Records calls; mounts listed in {@code failing} fail with EPERM (1). */
    private static final class RecordingCalls implements LinuxCalls {
        final List<String> calls = new ArrayList<>();
        final List<String> failing = new ArrayList<>();

        @Override
        public int mount(String source, String target, String type, long flags, String data) {
            calls.add("mount " + type + " " + target);
            return failing.contains(target) ? 1 : OK;
        }

        @Override
        public int writeDebugExit(int value) {
            calls.add("debug-exit " + value);
            return 19; // ENODEV: no device, so power off is tried next
        }

        @Override
        public int powerOff() {
            calls.add("power-off");
            return 1;
        }
    }

    private final ByteArrayOutputStream consoleBytes = new ByteArrayOutputStream();
    private final PrintStream console = new PrintStream(consoleBytes, true, StandardCharsets.UTF_8);

    private String console() {
        return consoleBytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void uptimeParsesToNanoseconds() {
        assertEquals(12_340_000_000L, BootTimeline.parseUptimeNanos("12.34 56.78\n"));
        assertEquals(7_000_000_000L, BootTimeline.parseUptimeNanos("7"));
        assertEquals(1_500_000_000L, BootTimeline.parseUptimeNanos("1.5 0.00"));
        assertThrows(IllegalArgumentException.class, () -> BootTimeline.parseUptimeNanos("up 3 days"));
    }

    @Test
    void timelineUsesTheKernelClockAnchoredAtBootMain() {
        // JVM started at uptime 2.0 s; Boot.main ran at 3.5 s, when nanoTime read 1_000.
        GuestBoot guest = new GuestBoot(new RecordingCalls(), console, 2_000_000_000L, 3_500_000_000L, 1_000);
        guest.libosReady(1_000 + 250_000_000L);
        BootTimeline timeline = guest.mainStarting(1_000 + 260_000_000L);
        assertEquals(new BootTimeline(2_000_000_000L, 3_500_000_000L, 3_750_000_000L, 3_760_000_000L), timeline);
        assertEquals("libos: boot timeline (kernel uptime): JVM started 2.000 s, Boot.main 3.500 s (+1.500 s),"
                + " libos ready 3.750 s (+0.250 s), main 3.760 s (+0.010 s)\n", console());
    }

    @Test
    void bootMainIsWhenMainWasEnteredAndTheMountsCountTowardsLibosReady() {
        // Boot.main entered at 3.0 s; the mounts took 0.5 s; anchor (uptime read) at 3.5 s.
        GuestBoot guest = new GuestBoot(new RecordingCalls(), console, 2_000_000_000L, 3_500_000_000L, 1_000, 3_000_000_000L);
        BootTimeline timeline = guest.mainStarting(1_000 + 260_000_000L);
        assertEquals(new BootTimeline(2_000_000_000L, 3_000_000_000L, 3_760_000_000L, 3_760_000_000L), timeline);
    }

    @Test
    void theTrainingRehearsalLinksTheGuestCallsAndChangesNothing() {
        // The AOT training's rehearsal: its mount(2) on the empty path fails whoever runs it.
        GuestBoot.rehearse();
        System.setProperty(GuestBoot.TRAINING_PROPERTY, "true");
        try {
            assertEquals(null, GuestBoot.enterIfPid1(console));
        } finally {
            System.clearProperty(GuestBoot.TRAINING_PROPERTY);
        }
        assertEquals("", console());
    }

    @Test
    void powerOffTriesTheDebugExitPortThenRebootAndSaysSo() {
        RecordingCalls calls = new RecordingCalls();
        new GuestBoot(calls, console, 0, 0, 0).powerOff(3);
        assertEquals(List.of("debug-exit 3", "power-off"), calls.calls);
        assertTrue(console().startsWith(GuestBoot.EXIT_STATUS_LINE + "3, powering off\n"), console());
        assertTrue(console().contains("power off failed (debug-exit errno 19, reboot errno 1)"), console());
    }

    @Test
    void statusesQemuCannotCarryAreClamped() {
        RecordingCalls calls = new RecordingCalls();
        new GuestBoot(calls, console, 0, 0, 0).powerOff(300);
        assertEquals("debug-exit " + GuestBoot.MAX_CARRIED_STATUS, calls.calls.getFirst());
        assertTrue(console().startsWith("libos: exit status 300,"), "the console keeps the real status");
    }

    @Test
    void mountsRunInOrderAndAFailureDoesNotStopTheRest(@TempDir Path root) {
        List<GuestMounts.Mount> mounts = GuestMounts.MOUNTS.stream()
                .map(m -> new GuestMounts.Mount(m.source(), root + m.target(), m.type(), m.flags(), m.data()))
                .toList();
        RecordingCalls calls = new RecordingCalls();
        calls.failing.add(root + "/sys");
        assertEquals(1, GuestMounts.mountAll(calls, mounts, console));
        assertEquals(List.of("mount proc " + root + "/proc", "mount sysfs " + root + "/sys",
                "mount devtmpfs " + root + "/dev", "mount hugetlbfs " + root + "/dev/hugepages"), calls.calls);
        assertTrue(console().contains("mount sysfs on " + root + "/sys failed: errno 1"), console());
    }

    @Test
    void onlyWhatTheInitStubDidNotMountIsMounted(@TempDir Path root) {
        List<GuestMounts.Mount> mounts = GuestMounts.MOUNTS.stream()
                .map(m -> new GuestMounts.Mount(m.source(), root + m.target(), m.type(), m.flags(), m.data()))
                .toList();
        RecordingCalls calls = new RecordingCalls();
        String procMounts = "rootfs / rootfs rw 0 0\nproc " + root + "/proc proc rw,nosuid 0 0\n"
                + "garbage\nudev " + root + "/dev devtmpfs rw 0 0\n";
        assertEquals(0, GuestMounts.mountMissing(calls, mounts, procMounts, console));
        assertEquals(List.of("mount sysfs " + root + "/sys", "mount hugetlbfs " + root + "/dev/hugepages"), calls.calls);
    }

    @Test
    void withoutProcEverythingIsMountedAndWithAllMountedNothingIs(@TempDir Path root) {
        List<GuestMounts.Mount> mounts = GuestMounts.MOUNTS.stream()
                .map(m -> new GuestMounts.Mount(m.source(), root + m.target(), m.type(), m.flags(), m.data()))
                .toList();
        RecordingCalls calls = new RecordingCalls();
        assertEquals(0, GuestMounts.mountMissing(calls, mounts, null, console));
        assertEquals(4, calls.calls.size());
        StringBuilder all = new StringBuilder();
        mounts.forEach(m -> all.append(m.source()).append(' ').append(m.target()).append(' ').append(m.type()).append(" rw 0 0\n"));
        RecordingCalls none = new RecordingCalls();
        assertEquals(0, GuestMounts.mountMissing(none, mounts, all.toString(), console));
        assertEquals(List.of(), none.calls);
    }

    @Test
    void hostedJvmIsNotAGuest() {
        // Tests never run as PID 1; hosted runs must not mount or power off anything.
        assertEquals(null, GuestBoot.enterIfPid1(console));
        assertEquals("", console());
    }

    @Test
    void libcDowncallsLinkAndReportErrnoInsteadOfThrowing(@TempDir Path dir) {
        // Unprivileged or not, mounting a bogus file system type fails with an errno value.
        int errno = new Libc().mount("none", dir.toString(), "libos-no-such-fs", 0, null);
        assertTrue(errno > 0, "errno " + errno);
    }
}
