package dev.libos.core.config;

import dev.libos.api.LibOSConfig;
import dev.libos.api.time.MonotonicClock;
import java.util.Map;
import java.util.TreeMap;

/**
 * The kernel's settings, parsed and validated once at boot (Aeron's {@code conclude()} habit).
 * A bad value or an unknown key in a kernel namespace fails the boot with an
 * {@link IllegalArgumentException} naming the setting and its value. Keys outside the kernel's
 * namespaces ({@code libos.net.*}, ...) belong to other modules and are left to them.
 *
 * @param cpus virtual CPUs ({@code libos.cpus}, default: available processors)
 * @param idleSpinNanos longest time an idle CPU polls before it parks its carrier; the CPU
 *     adapts its window below this and parks at once while the host is contended
 *     ({@code libos.idle.spinMicros}; see {@code sched.IdlePolicy})
 * @param idleLend whether a carrier whose CPU is idle runs the pass of a CPU it woke whose own
 *     carrier sleeps, instead of unparking that carrier ({@code libos.idle.lend})
 * @param idleMaxParkNanos longest park of an idle CPU that has pollers, an injected clock, or
 *     pending RCU work ({@code libos.idle.maxParkMicros})
 * @param timerTickNanos timer wheel resolution ({@code libos.timer.tickMicros})
 * @param timerSlots timer wheel slots, a power of two ({@code libos.timer.slots})
 * @param logRingEntries capacity of the in-memory kernel log ({@code libos.log.ringEntries})
 * @param memoryBytes off-heap memory for the page allocator ({@code libos.memory.size}, with an
 *     optional k/m/g suffix)
 * @param trackLeaks record the allocation stack of every page run and buffer ({@code libos.memory.trackLeaks})
 * @param shutdownTimeoutMillis how long shutdown waits for libos threads before interrupting them
 *     ({@code libos.shutdown.timeoutMillis})
 * @param clock the clock every component reads
 * @param clockInjected true when the clock came from the configuration rather than the host
 * @param all every libos setting as given
 */
public record KernelConfig(
        int cpus,
        long idleSpinNanos,
        boolean idleLend,
        long idleMaxParkNanos,
        long timerTickNanos,
        int timerSlots,
        int logRingEntries,
        long memoryBytes,
        boolean trackLeaks,
        long shutdownTimeoutMillis,
        MonotonicClock clock,
        boolean clockInjected,
        Map<String, String> all) {

    /** The namespaces this module owns: an unknown key in one of them is an error (a typo). */
    private static final String[] KERNEL_NAMESPACES = {
        "libos.cpus", "libos.idle.", "libos.timer.", "libos.log.", "libos.memory.", "libos.shutdown.", "libos.main"
    };

    private static final Map<String, String> DEFAULTS = defaults();

    private static Map<String, String> defaults() {
        Map<String, String> d = new TreeMap<>();
        d.put("libos.cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
        d.put("libos.idle.spinMicros", "50");
        d.put("libos.idle.lend", "true");
        d.put("libos.idle.maxParkMicros", "1000");
        d.put("libos.timer.tickMicros", "100");
        d.put("libos.timer.slots", "1024");
        d.put("libos.log.ringEntries", "1024");
        d.put("libos.memory.size", "16m");
        d.put("libos.memory.trackLeaks", "false");
        d.put("libos.shutdown.timeoutMillis", "5000");
        d.put("libos.main", "");
        return Map.copyOf(d);
    }

    /** The settings this module knows, with their defaults (for docs and error messages). */
    public static Map<String, String> knownSettings() {
        return new TreeMap<>(DEFAULTS);
    }

    /**
     * Validates {@code config}.
     *
     * @throws IllegalArgumentException naming the first bad setting and its value
     */
    public static KernelConfig from(LibOSConfig config) {
        Map<String, String> given = config.settings();
        for (String key : given.keySet()) {
            if (isKernelKey(key) && !DEFAULTS.containsKey(key)) {
                throw new IllegalArgumentException("unknown libos setting " + key + "=" + given.get(key)
                        + " (known: " + String.join(", ", DEFAULTS.keySet()) + ")");
            }
        }
        Settings s = new Settings(given, DEFAULTS);
        int cpus = s.intIn("libos.cpus", 1, 1024);
        long spinNanos = s.longIn("libos.idle.spinMicros", 0, 1_000_000) * 1000;
        boolean lend = s.bool("libos.idle.lend");
        long maxParkNanos = s.longIn("libos.idle.maxParkMicros", 1, 1_000_000) * 1000;
        long tickNanos = s.longIn("libos.timer.tickMicros", 1, 1_000_000) * 1000;
        int slots = s.powerOfTwoIn("libos.timer.slots", 16, 1 << 20);
        int ring = s.powerOfTwoIn("libos.log.ringEntries", 16, 1 << 20);
        long memory = s.sizeIn("libos.memory.size", 1 << 20, 1L << 40);
        boolean trackLeaks = s.bool("libos.memory.trackLeaks");
        long shutdownMillis = s.longIn("libos.shutdown.timeoutMillis", 0, 3_600_000);
        MonotonicClock clock = config.clock() == null ? MonotonicClock.system() : config.clock();
        return new KernelConfig(cpus, spinNanos, lend, maxParkNanos, tickNanos, slots, ring, memory, trackLeaks,
                shutdownMillis, clock, config.clock() != null, given);
    }

    private static boolean isKernelKey(String key) {
        for (String namespace : KERNEL_NAMESPACES) {
            if (namespace.endsWith(".") ? key.startsWith(namespace) : key.equals(namespace)) {
                return true;
            }
        }
        return false;
    }

    /** The application main class to run ({@code libos.main}), or empty. */
    public String mainClass() {
        return all.getOrDefault("libos.main", "");
    }
}
