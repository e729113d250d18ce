package dev.libos.core.guest;

/**
 * The guest's boot timeline on the kernel's clock (uptime since the kernel started), built from
 * times passed in: it reads no clock itself.
 *
 * @param jvmStartNanos    uptime when the JVM started (the kernel's boot before it: firmware
 *                         excluded, initramfs unpacking included)
 * @param bootMainNanos    uptime when libos's Boot.main began (JVM start-up before it)
 * @param libosReadyNanos  uptime when the libos kernel had booted
 * @param mainStartNanos   uptime when the application's main was called
 */
public record BootTimeline(long jvmStartNanos, long bootMainNanos, long libosReadyNanos, long mainStartNanos) {
    /**
     * Parses the first field of {@code /proc/uptime} ("12.34 56.78"), seconds with two decimals.
     *
     * @return the uptime in nanoseconds
     * @throws IllegalArgumentException when the text is not an uptime
     */
    public static long parseUptimeNanos(String procUptime) {
        String first = procUptime.strip().split("\\s+")[0];
        int dot = first.indexOf('.');
        try {
            long seconds = Long.parseLong(dot < 0 ? first : first.substring(0, dot));
            String fraction = dot < 0 ? "" : (first.substring(dot + 1) + "000000000").substring(0, 9);
            return seconds * 1_000_000_000L + (fraction.isEmpty() ? 0 : Long.parseLong(fraction));
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("not a /proc/uptime line: " + procUptime, e);
        }
    }

    /** One console line: each instant, and the step from the one before. */
    public String format() {
        return String.format("libos: boot timeline (kernel uptime): JVM started %s, Boot.main %s (+%s),"
                        + " libos ready %s (+%s), main %s (+%s)",
                seconds(jvmStartNanos), seconds(bootMainNanos), seconds(bootMainNanos - jvmStartNanos),
                seconds(libosReadyNanos), seconds(libosReadyNanos - bootMainNanos),
                seconds(mainStartNanos), seconds(mainStartNanos - libosReadyNanos));
    }

    private static String seconds(long nanos) {
        return String.format("%.3f s", nanos / 1e9);
    }
}
