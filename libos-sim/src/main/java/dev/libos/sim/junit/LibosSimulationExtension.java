package dev.libos.sim.junit;

import dev.libos.sim.Simulation;
import dev.libos.sim.SimulationConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;

/** The JUnit 5 side of {@link LibosSimulation}: one invocation per seed, the simulation as a parameter. */
public final class LibosSimulationExtension implements TestTemplateInvocationContextProvider {
    /** Runs only this seed when set. */
    public static final String SEED_PROPERTY = "libos.sim.seed";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LibosSimulationExtension.class);

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return context.getTestMethod().map(m -> m.isAnnotationPresent(LibosSimulation.class)).orElse(false);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        LibosSimulation spec = context.getRequiredTestMethod().getAnnotation(LibosSimulation.class);
        String pinned = System.getProperty(SEED_PROPERTY);
        LongStream seeds;
        if (pinned != null && !pinned.isBlank()) {
            seeds = LongStream.of(parseSeed(pinned));
        } else if (spec.seed() >= 0) {
            seeds = LongStream.of(spec.seed());
        } else {
            seeds = LongStream.range(spec.firstSeed(), spec.firstSeed() + spec.seeds());
        }
        return seeds.mapToObj(seed -> new SeedInvocation(seed, spec));
    }

    private static long parseSeed(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(SEED_PROPERTY + " must be a number: " + value, e);
        }
    }

    /** The command that reruns one seed: the Maven module of the test, from the project root. */
    static String replayCommand(long seed, ExtensionContext context) {
        Path here = Path.of("").toAbsolutePath();
        Path root = here;
        while (root != null && !Files.exists(root.resolve("mvnw"))) {
            root = root.getParent();
        }
        String module = root == null || root.equals(here) ? "" : " -pl " + root.relativize(here);
        String test = context.getRequiredTestClass().getSimpleName() + "#" + context.getRequiredTestMethod().getName();
        return "./mvnw" + module + " verify -Dtest='" + test + "' -Dsurefire.failIfNoSpecifiedTests=false -D"
                + SEED_PROPERTY + "=" + seed;
    }

    private record SeedInvocation(long seed, LibosSimulation spec) implements TestTemplateInvocationContext {
        @Override
        public String getDisplayName(int invocationIndex) {
            return "seed " + seed;
        }

        @Override
        public List<org.junit.jupiter.api.extension.Extension> getAdditionalExtensions() {
            return List.of(new SimulationParameter(this));
        }

        SimulationConfig config() {
            SimulationConfig config = SimulationConfig.of(seed, spec.hosts());
            return config.withLinkFaults(config.linkFaults().withLoss(spec.loss()).withDuplication(spec.duplication())
                    .withReordering(spec.reordering(), 3_000_000));
        }
    }

    /** Starts the seed's simulation on the test's thread (its driver) and closes it afterwards. */
    private record SimulationParameter(SeedInvocation invocation)
            implements ParameterResolver, AfterTestExecutionCallback, TestExecutionExceptionHandler {
        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == Simulation.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            Simulation sim = Simulation.start(invocation.config());
            context.getStore(NAMESPACE).put("sim", sim);
            return sim;
        }

        @Override
        public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
            Simulation sim = context.getStore(NAMESPACE).get("sim", Simulation.class);
            String summary = sim == null ? "" : "\n" + sim.summary();
            String replay = replayCommand(invocation.seed(), context);
            System.out.println("libos-sim: seed " + invocation.seed() + " FAILED: " + failure + summary
                    + "\nlibos-sim: replay with: " + replay);
            AssertionError wrapped = new AssertionError("seed " + invocation.seed() + " failed (replay: " + replay + ")"
                    + summary + ": " + failure.getMessage(), failure);
            throw wrapped;
        }

        @Override
        public void afterTestExecution(ExtensionContext context) {
            Simulation sim = context.getStore(NAMESPACE).remove("sim", Simulation.class);
            if (sim != null) {
                sim.close();
            }
        }
    }
}
