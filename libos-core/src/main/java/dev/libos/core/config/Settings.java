package dev.libos.core.config;

import java.util.Locale;
import java.util.Map;

/**
 * Reads typed values from string settings; every failure names the setting, its value and what
 * was expected. Reusable by any module that owns a namespace of settings.
 */
public final class Settings {
    private final Map<String, String> given;
    private final Map<String, String> defaults;

    public Settings(Map<String, String> given, Map<String, String> defaults) {
        this.given = Map.copyOf(given);
        this.defaults = Map.copyOf(defaults);
    }

    /** The raw value: given, else the default. */
    public String raw(String key) {
        String value = given.get(key);
        if (value == null) {
            value = defaults.get(key);
        }
        if (value == null) {
            throw new IllegalStateException("no default for setting " + key);
        }
        return value.trim();
    }

    public long longIn(String key, long min, long max) {
        String value = raw(key);
        long parsed;
        try {
            parsed = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw bad(key, value, "a whole number from " + min + " to " + max);
        }
        if (parsed < min || parsed > max) {
            throw bad(key, value, "a whole number from " + min + " to " + max);
        }
        return parsed;
    }

    public int intIn(String key, int min, int max) {
        return (int) longIn(key, min, max);
    }

    public int powerOfTwoIn(String key, int min, int max) {
        int value = intIn(key, min, max);
        if (Integer.bitCount(value) != 1) {
            throw bad(key, raw(key), "a power of two from " + min + " to " + max);
        }
        return value;
    }

    /** A byte size: digits with an optional k, m or g suffix (powers of 1024). */
    public long sizeIn(String key, long min, long max) {
        String value = raw(key);
        String expected = "a size from " + min + " to " + max + " bytes, e.g. 64m";
        String digits = value.toLowerCase(Locale.ROOT);
        int shift = 0;
        if (!digits.isEmpty()) {
            switch (digits.charAt(digits.length() - 1)) {
                case 'k' -> shift = 10;
                case 'm' -> shift = 20;
                case 'g' -> shift = 30;
                default -> shift = 0;
            }
        }
        if (shift != 0) {
            digits = digits.substring(0, digits.length() - 1);
        }
        long parsed;
        try {
            parsed = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw bad(key, value, expected);
        }
        if (parsed < 0 || parsed > (max >> shift)) {
            throw bad(key, value, expected);
        }
        parsed <<= shift;
        if (parsed < min) {
            throw bad(key, value, expected);
        }
        return parsed;
    }

    public boolean bool(String key) {
        String value = raw(key);
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw bad(key, value, "true or false");
        };
    }

    private static IllegalArgumentException bad(String key, String value, String expected) {
        return new IllegalArgumentException("invalid libos setting " + key + "=" + value + ": expected " + expected);
    }
}
