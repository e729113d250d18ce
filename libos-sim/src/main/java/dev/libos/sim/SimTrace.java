package dev.libos.sim;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.List;

/**
 * The ordered events of one run (scheduling choices, timers, frames polled, faults, host
 * starts and crashes) and a running SHA-256 over their text, one line each. The text holds
 * only what the seed decides (virtual times, simulation-assigned thread numbers, host names),
 * never identity hash codes, JVM thread ids or wall-clock values, so equal hashes mean equal
 * runs. The newest events are kept for a failure report.
 */
public final class SimTrace {
    private static final int KEPT = 64;

    private final MessageDigest digest;
    private final ArrayDeque<String> recent = new ArrayDeque<>(KEPT);
    private long events;
    /** With -Dlibos.sim.trace.print=true every event is printed as it is recorded (for comparing two runs). */
    private final boolean print = Boolean.getBoolean("libos.sim.trace.print");

    SimTrace() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    /** Appends one event (the driver's thread only). */
    synchronized void record(long nowNanos, String event) {
        String line = nowNanos + " " + event;
        digest.update(line.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) '\n');
        events++;
        if (recent.size() == KEPT) {
            recent.removeFirst();
        }
        recent.addLast(line);
        if (print) {
            System.out.println("libos-sim trace: " + line);
        }
    }

    /** Events recorded so far. */
    public synchronized long events() {
        return events;
    }

    /** The SHA-256 of all events so far, in hex (the digest goes on). */
    public synchronized String hash() {
        try {
            return HexFormat.of().formatHex(((MessageDigest) digest.clone()).digest());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digest cannot be cloned", e);
        }
    }

    /** The newest events, oldest first. */
    public synchronized List<String> recent() {
        return List.copyOf(recent);
    }
}
