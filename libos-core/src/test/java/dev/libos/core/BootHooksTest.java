package dev.libos.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.api.LibOS;
import dev.libos.api.spi.BootHook;
import dev.libos.api.spi.BootHook.Environment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BootHooksTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream console = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private record Hook(String name, int order, List<String> log, boolean fails, Set<Environment> environments)
            implements BootHook {
        Hook(String name, int order, List<String> log, boolean fails) {
            this(name, order, log, fails, Set.of(Environment.GUEST));
        }

        @Override
        public boolean runsIn(Environment environment) {
            return environments.contains(environment);
        }

        @Override
        public void run(LibOS os, Environment environment, PrintStream out) throws Exception {
            log.add(name + " " + environment);
            if (fails) {
                throw new IOException("volume " + name + " is damaged");
            }
        }

        @Override
        public void beforeShutdown(PrintStream out) {
            log.add("off " + name);
        }
    }

    private String console() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void hooksRunByOrderThenNameAndAFailureStopsTheRest() {
        BootHooks hooks = new BootHooks(Environment.GUEST, console);
        List<String> log = new ArrayList<>();
        assertTrue(hooks.run(null, List.of(new Hook("net", 5, log, false), new Hook("b", 0, log, false),
                new Hook("a", 0, log, false))));
        assertEquals(List.of("a GUEST", "b GUEST", "net GUEST"), log);

        log.clear();
        boolean ok = hooks.run(null, List.of(new Hook("storage", 0, log, true), new Hook("z", 1, log, false)));
        assertFalse(ok);
        assertEquals(List.of("storage GUEST"), log, "the hook after the failed one did not run");
        assertTrue(console().contains("libos: boot hook storage failed, main will not run: volume storage is damaged"),
                console());

        log.clear();
        hooks.beforeShutdown();
        assertEquals(List.of("off storage", "off net", "off b", "off a"), log,
                "every hook that ran is told, the last one first (the failed one too: it may hold resources)");
        log.clear();
        hooks.beforeShutdown();
        assertEquals(List.of(), log, "told once");
    }

    @Test
    void onlyHooksThatAcceptTheEnvironmentRun() {
        List<String> log = new ArrayList<>();
        List<BootHook> all = List.of(new Hook("guest-only", 0, log, false),
                new Hook("both", 1, log, false, Set.of(Environment.GUEST, Environment.HOSTED)),
                new Hook("hosted-only", 2, log, false, Set.of(Environment.HOSTED)));
        assertTrue(new BootHooks(Environment.HOSTED, console).run(null, all));
        assertEquals(List.of("both HOSTED", "hosted-only HOSTED"), log);
        log.clear();
        assertTrue(new BootHooks(Environment.GUEST, console).run(null, all));
        assertEquals(List.of("guest-only GUEST", "both GUEST"), log);
    }

    @Test
    void theDefaultIsGuestOnly() {
        BootHook plain = new BootHook() {
            @Override
            public String name() {
                return "plain";
            }

            @Override
            public void run(LibOS os, Environment environment, PrintStream out) {
            }
        };
        assertTrue(plain.runsIn(Environment.GUEST));
        assertFalse(plain.runsIn(Environment.HOSTED));
    }
}
