package dev.libos.slf4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.api.KernelLog;
import dev.libos.api.time.ManualClock;
import dev.libos.core.log.KLog;
import dev.libos.core.log.KernelLogRing;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

class KernelLoggerTest {
    private KernelLogRing ring;

    @BeforeEach
    void freshRing() {
        ring = new KernelLogRing(64, new ManualClock());
        KLog.install(ring);
    }

    private List<String> ringLines() {
        return ring.recent().stream().map(e -> e.level() + " " + e.source() + " " + e.message()).toList();
    }

    @Test
    void slf4jFindsThisProviderAndEntriesLandInTheRing() {
        Logger logger = LoggerFactory.getLogger("app.Main");
        assertInstanceOf(KernelLogger.class, logger);
        logger.info("started on port {}", 8080);
        logger.debug("not kept at the default level");
        assertEquals(List.of("INFO app.Main started on port 8080"), ringLines());
    }

    @Test
    void klogThroughThisProviderRecordsEachEntryOnce() {
        KLog.of(KernelLoggerTest.class).warn("disk {} slow", "vda");
        assertEquals(List.of("WARN " + KernelLoggerTest.class.getName() + " disk vda slow"), ringLines());
    }

    @Test
    void consoleGetsEntriesAtOrAboveItsLevelWithTheStackTrace() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream console = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        KernelLoggerFactory factory = new KernelLoggerFactory(new LogSettings(Level.DEBUG, Level.WARN), console);
        Logger logger = factory.getLogger("x");
        logger.debug("quiet {}", 1);
        logger.error("failed {}", "write", new IllegalStateException("boom"));
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(printed.startsWith("ERROR x - failed write\njava.lang.IllegalStateException: boom"), printed);
        assertTrue(!printed.contains("quiet"), printed);
        assertEquals(List.of("DEBUG x quiet 1", "ERROR x failed write (java.lang.IllegalStateException: boom)"), ringLines());
    }

    @Test
    void settingsAreValidatedNamingTheBadOne() {
        assertEquals(new LogSettings(Level.INFO, Level.INFO), LogSettings.from(k -> null));
        assertEquals(new LogSettings(Level.TRACE, null), LogSettings.from(Map.of(LogSettings.LEVEL, "trace",
                LogSettings.CONSOLE_LEVEL, "off")::get));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LogSettings.from(Map.of(LogSettings.CONSOLE_LEVEL, "loud")::get));
        assertTrue(e.getMessage().contains(LogSettings.CONSOLE_LEVEL) && e.getMessage().contains("loud"), e.getMessage());
    }

    @Test
    void levelOffDropsEverything() {
        KernelLoggerFactory factory = new KernelLoggerFactory(new LogSettings(null, null), System.err);
        Logger logger = factory.getLogger("y");
        logger.error("dropped");
        assertEquals(List.<KernelLog.Entry>of(), ring.recent());
    }
}
