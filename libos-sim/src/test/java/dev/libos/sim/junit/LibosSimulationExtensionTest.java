package dev.libos.sim.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.libos.sim.Simulation;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

class LibosSimulationExtensionTest {
    private static final long SECOND = 1_000_000_000L;

    @LibosSimulation(hosts = 2, seeds = 3)
    void runsOncePerSeedWithBootedHosts(Simulation sim) {
        assertEquals(2, sim.hosts().size());
        assertTrue(sim.host(0).isUp() && sim.host(1).isUp());
        sim.host(1).start("sleeper", () -> {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        sim.run(10 * SECOND);
        assertEquals(SECOND, sim.clock().nanoTime());
    }

    /** A lost update that only some interleavings expose; run by the test below, not by Surefire. */
    static class LostUpdate {
        @LibosSimulation(hosts = 0, seeds = 40)
        void counterIsExact(Simulation sim) {
            int[] counter = {0};
            for (int t = 0; t < 2; t++) {
                sim.startThread("inc" + t, () -> {
                    for (int i = 0; i < 3; i++) {
                        int read = counter[0];
                        Thread.yield(); // the planted bug: read, yield, write
                        counter[0] = read + 1;
                    }
                });
            }
            sim.run(SECOND);
            assertEquals(6, counter[0], "lost update");
        }
    }

    private static final Pattern FAILURE = Pattern.compile(
            "seed (\\d+) failed \\(replay: (.*-Dlibos\\.sim\\.seed=\\1)\\)\\nlibos-sim: seed=\\1 steps=(\\d+) trace=([0-9a-f]{64})");

    private static List<String> failures(Events events) {
        List<String> messages = new ArrayList<>();
        events.failed().stream().forEach(e -> messages.add(
                e.getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
                        .getThrowable().orElseThrow().getMessage()));
        return messages;
    }

    @Test
    void aFailingSeedIsReportedWithItsReplayAndReplaysTheSame() {
        Events first = EngineTestKit.engine("junit-jupiter").selectors(selectClass(LostUpdate.class)).execute()
                .testEvents();
        List<String> messages = failures(first);
        assertTrue(!messages.isEmpty(), "the lost update is found within 40 seeds");
        Matcher m = FAILURE.matcher(messages.getFirst());
        assertTrue(m.find(), messages.getFirst());
        String seed = m.group(1);
        assertTrue(m.group(2).startsWith("./mvnw -pl libos-sim verify"), m.group(2));
        String previous = System.getProperty(LibosSimulationExtension.SEED_PROPERTY);
        System.setProperty(LibosSimulationExtension.SEED_PROPERTY, seed);
        try {
            Events replay = EngineTestKit.engine("junit-jupiter").selectors(selectClass(LostUpdate.class)).execute()
                    .testEvents();
            assertEquals(1, replay.started().count(), "only the pinned seed runs");
            List<String> again = failures(replay);
            assertEquals(1, again.size(), "the replay fails too");
            Matcher r = FAILURE.matcher(again.getFirst());
            assertTrue(r.find(), again.getFirst());
            assertEquals(m.group(3) + " " + m.group(4), r.group(3) + " " + r.group(4), "same steps and trace hash");
            System.out.println("seed " + seed + " found and replayed: steps=" + r.group(3) + " trace=" + r.group(4));
        } finally {
            if (previous == null) {
                System.clearProperty(LibosSimulationExtension.SEED_PROPERTY);
            } else {
                System.setProperty(LibosSimulationExtension.SEED_PROPERTY, previous);
            }
        }
        assertNotNull(seed);
    }
}
