package dev.libos.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.api.time.ManualClock;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class LibOSConfigTest {
    @Test
    void keepsOnlyLibosKeysFromProperties() {
        Properties p = new Properties();
        p.setProperty("libos.cpus", "3");
        p.setProperty("java.version", "25");
        LibOSConfig config = LibOSConfig.builder().putAll(p).build();
        assertEquals(Map.of("libos.cpus", "3"), config.settings());
        assertNull(config.clock());
    }

    @Test
    void rejectsKeysOutsideTheLibosNamespaceNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LibOSConfig.builder().set("cpus", "2"));
        assertTrue(e.getMessage().contains("cpus"));
    }

    @Test
    void toBuilderCopiesSettingsAndClock() {
        ManualClock clock = new ManualClock(5);
        LibOSConfig config = LibOSConfig.builder().cpus(2).clock(clock).build();
        LibOSConfig copy = config.toBuilder().set("libos.idle.spins", "0").build();
        assertEquals("2", copy.get("libos.cpus"));
        assertEquals("0", copy.get("libos.idle.spins"));
        assertNull(config.get("libos.idle.spins"), "the original is immutable");
        assertSame(clock, copy.clock());
    }

    @Test
    void manualClockMovesOnlyForwardAndOnlyWhenTold() {
        ManualClock clock = new ManualClock(10);
        assertEquals(10, clock.nanoTime());
        assertEquals(15, clock.advance(5));
        assertEquals(15, clock.nanoTime());
        assertThrows(IllegalArgumentException.class, () -> clock.advance(-1));
    }
}
