package dev.libos.jvm.net.socket;

import java.net.SocketException;
import java.util.concurrent.TimeUnit;

/** SO_TIMEOUT as java.net gives it (milliseconds, 0 for none) and as {@code BlockingSockets} takes it. */
final class Timeouts {
    private Timeouts() {
    }

    /** @throws SocketException for a value that is not a non-negative Integer */
    static int millis(Object value) throws SocketException {
        if (!(value instanceof Integer millis) || millis < 0) {
            throw new SocketException("SO_TIMEOUT (setSoTimeout) must be a non-negative number of milliseconds: " + value);
        }
        return millis;
    }

    /** 0 stays 0 (no limit). */
    static long nanos(int millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }
}
