package dev.libos.core.log;

import dev.libos.api.time.MonotonicClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.FormattingTuple;
import org.slf4j.helpers.MessageFormatter;

/**
 * A kernel component's logger: every entry goes to SLF4J (where the application's binding sends
 * it) and into the kernel's in-memory ring ({@link #ring()}), readable at run time through
 * {@code LibOS.log()}. Messages use SLF4J's {@code {}} placeholders; a trailing Throwable is
 * logged with its stack trace.
 */
public final class KLog {
    private static volatile KernelLogRing ring = new KernelLogRing(1024, MonotonicClock.system());

    private final Logger logger;

    private KLog(Logger logger) {
        this.logger = logger;
    }

    public static KLog of(Class<?> owner) {
        return new KLog(LoggerFactory.getLogger(owner));
    }

    /** Installs the ring of a kernel being booted (one kernel runs per JVM). */
    public static void install(KernelLogRing kernelRing) {
        ring = kernelRing;
    }

    /** The ring entries go to. */
    public static KernelLogRing ring() {
        return ring;
    }

    public void debug(String format, Object... args) {
        if (logger.isDebugEnabled()) {
            logger.debug(format, args);
            record("DEBUG", format, args);
        }
    }

    public void info(String format, Object... args) {
        logger.info(format, args);
        record("INFO", format, args);
    }

    public void warn(String format, Object... args) {
        logger.warn(format, args);
        record("WARN", format, args);
    }

    public void error(String format, Object... args) {
        logger.error(format, args);
        record("ERROR", format, args);
    }

    private void record(String level, String format, Object[] args) {
        if (logger instanceof WritesKernelLogRing) {
            return; // the SLF4J provider is libos-slf4j's: it has put the entry into the ring already
        }
        FormattingTuple tuple = MessageFormatter.arrayFormat(format, args);
        String message = tuple.getMessage();
        if (tuple.getThrowable() != null) {
            message += " (" + tuple.getThrowable() + ")";
        }
        ring.append(level, logger.getName(), message);
    }
}
