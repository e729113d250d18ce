package dev.libos.slf4j;

import dev.libos.core.log.KLog;
import dev.libos.core.log.WritesKernelLogRing;
import java.io.PrintStream;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * A logger whose entries go into the kernel log ring ({@link KLog#ring()}, read by
 * {@code LibOS.log()}) and, at or above the console level, to the console as one line:
 * {@code LEVEL name - message}, then the stack trace of a throwable. The ring keeps the
 * throwable's {@code toString()} after the message, as {@link KLog} does.
 */
public final class KernelLogger extends LegacyAbstractLogger implements WritesKernelLogRing {
    private static final long serialVersionUID = 1L;

    private final transient LogSettings settings;
    private final transient PrintStream console;

    KernelLogger(String name, LogSettings settings, PrintStream console) {
        this.name = name;
        this.settings = settings;
        this.console = console;
    }

    private boolean enabled(Level level) {
        return LogSettings.atLeast(level, settings.level());
    }

    @Override
    public boolean isTraceEnabled() {
        return enabled(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return enabled(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return enabled(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return enabled(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return enabled(Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
                                               Throwable throwable) {
        String message = MessageFormatter.basicArrayFormat(pattern, arguments);
        KLog.ring().append(level.name(), name, throwable == null ? message : message + " (" + throwable + ")");
        if (LogSettings.atLeast(level, settings.consoleLevel())) {
            // One println per entry, so lines of concurrent threads do not interleave.
            console.println(level.name() + " " + name + " - " + message);
            if (throwable != null) {
                throwable.printStackTrace(console);
            }
        }
    }
}
