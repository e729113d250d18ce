package dev.libos.sim;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Notices platform threads started while simulated threads run: work the seed does not
 * schedule (an application's own {@code new Thread}, an executor's workers, the common pool).
 * The JVM's own service threads are not reported.
 */
final class PlatformThreadWatch {
    private static final String[] JVM_THREADS = {"C1 CompilerThread", "C2 CompilerThread", "Common-Cleaner",
        "VirtualThread-unblocker", "Attach Listener", "Notification Thread", "Signal Dispatcher", "Finalizer",
        "Reference Handler", "surefire-forkedjvm", "process reaper", "JFR "};

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Set<Long> known = new HashSet<>();
    private long started;

    PlatformThreadWatch() {
        started = threads.getTotalStartedThreadCount();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            known.add(t.threadId());
        }
    }

    /** Platform threads started since the last call, named, with where they come from. */
    List<String> newThreads() {
        long now = threads.getTotalStartedThreadCount();
        if (now == started) {
            return List.of();
        }
        started = now;
        List<String> found = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (known.add(t.threadId()) && !jvmThread(t.getName())) {
                found.add(describe(t.getName()));
            }
        }
        return found;
    }

    private static boolean jvmThread(String name) {
        for (String prefix : JVM_THREADS) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static String describe(String name) {
        if (name.startsWith("ForkJoinPool.commonPool")) {
            return "the common pool (ForkJoinPool.commonPool) started worker \"" + name + "\"";
        }
        return "platform thread outside the simulation: \"" + name + "\"";
    }
}
