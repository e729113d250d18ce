package dev.libos.slf4j;

import java.util.Locale;
import java.util.function.UnaryOperator;
import org.slf4j.event.Level;

/**
 * The provider's settings, validated once when SLF4J initialises it.
 *
 * @param level        entries below this level are dropped everywhere
 * @param consoleLevel entries at or above this level are also printed; null prints none (OFF)
 */
public record LogSettings(Level level, Level consoleLevel) {
    /** Minimum level kept (system property). */
    public static final String LEVEL = "libos.log.level";
    /** Minimum level printed on the console (system property); OFF prints nothing. */
    public static final String CONSOLE_LEVEL = "libos.log.consoleLevel";

    /** The settings in the system properties. */
    public static LogSettings fromSystemProperties() {
        return from(System::getProperty);
    }

    /**
     * The settings named by {@code property}.
     *
     * @throws IllegalArgumentException naming the setting and its value when a level is unknown
     */
    public static LogSettings from(UnaryOperator<String> property) {
        Level level = parse(LEVEL, property.apply(LEVEL), Level.INFO);
        Level console = parse(CONSOLE_LEVEL, property.apply(CONSOLE_LEVEL), Level.INFO);
        return new LogSettings(level, console);
    }

    /** True when {@code candidate} is at or above {@code threshold} (ERROR is the highest). */
    static boolean atLeast(Level candidate, Level threshold) {
        return threshold != null && candidate.toInt() >= threshold.toInt();
    }

    private static Level parse(String name, String value, Level absent) {
        if (value == null || value.isBlank()) {
            return absent;
        }
        String upper = value.strip().toUpperCase(Locale.ROOT);
        if (upper.equals("OFF")) {
            return null;
        }
        try {
            return Level.valueOf(upper);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " must be TRACE, DEBUG, INFO, WARN, ERROR or OFF: " + value, e);
        }
    }
}
