package example.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * With the planted bug (a follower acknowledges before its fsync), the simulation finds a
 * failing seed within the 200, reports it with its replay command, and the replay fails the
 * same way with the same trace hash.
 */
class PlantedBugTest {
    private static final Pattern FAILURE = Pattern.compile("seed (\\d+) failed \\(replay: (.*-Dlibos\\.sim\\.seed=\\1)\\)"
            + "\\nlibos-sim: seed=\\1 steps=(\\d+) trace=([0-9a-f]{64}): (.*)", Pattern.DOTALL);

    private static List<String> failures(Map<String, String> properties) {
        Map<String, String> saved = new java.util.HashMap<>();
        properties.forEach((k, v) -> saved.put(k, System.getProperty(k)));
        properties.forEach(System::setProperty);
        try {
            Events events = EngineTestKit.engine("junit-jupiter")
                    .selectors(selectMethod(KvSimulationTest.class, "acknowledgedWritesSurviveACrashOrAPartition",
                            "dev.libos.sim.Simulation"))
                    .execute().testEvents();
            List<String> messages = new ArrayList<>();
            events.failed().stream().forEach(e -> messages.add(e.getPayload(TestExecutionResult.class).orElseThrow()
                    .getThrowable().orElseThrow().getMessage()));
            return messages;
        } finally {
            saved.forEach((k, v) -> {
                if (v == null) {
                    System.clearProperty(k);
                } else {
                    System.setProperty(k, v);
                }
            });
        }
    }

    @Test
    void theSimulationFindsThePlantedBugAndItsSeedReplays() {
        List<String> found = failures(Map.of(Follower.BUG_PROPERTY, "true", "libos.sim.stopAfterFailure", "true"));
        assertEquals(1, found.size(), "the planted bug is found within 200 seeds (and the hunt stops there)");
        Matcher m = FAILURE.matcher(found.getFirst());
        assertTrue(m.find(), found.getFirst());
        String seed = m.group(1);
        assertTrue(m.group(2).contains("-pl examples/kv-replicated verify") && m.group(2).contains("-D" + Follower.BUG_PROPERTY + "=true"),
                m.group(2));
        System.out.println("planted bug found at seed " + seed + ": " + m.group(5).lines().findFirst().orElse("")
                + "\nreplay: " + m.group(2));

        List<String> replayed = failures(Map.of(Follower.BUG_PROPERTY, "true", "libos.sim.seed", seed));
        assertEquals(1, replayed.size(), "the replay fails too");
        Matcher r = FAILURE.matcher(replayed.getFirst());
        assertTrue(r.find(), replayed.getFirst());
        assertEquals(seed, r.group(1));
        assertEquals(m.group(3), r.group(3), "same steps");
        assertEquals(m.group(4), r.group(4), "same trace hash");
        assertEquals(m.group(5), r.group(5), "the same failure");
    }
}
