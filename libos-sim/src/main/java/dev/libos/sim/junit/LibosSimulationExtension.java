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
    /** Overrides {@link LibosSimulation#seeds()} when set. */
    public static final String SEEDS_PROPERTY = "libos.sim.seeds";
    /** When true, the seeds after a failing one are skipped (hunting for the first failing seed). */
    public static final String STOP_PROPERTY = "libos.sim.stopAfterFailure";
    /** Overrides {@link LibosSimulation#firstSeed()} when set. */
    public static final String FIRST_SEED_PROPERTY = "libos.sim.firstSeed";

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
            long first = Long.getLong(FIRST_SEED_PROPERTY, spec.firstSeed());
            seeds = LongStream.range(first, first + Long.getLong(SEEDS_PROPERTY, spec.seeds()));
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

    /** The per-method flag set when a seed fails (in the test method's template store). */
    private static boolean failedBefore(ExtensionContext context) {
        return context.getParent().map(p -> p.getStore(NAMESPACE).get("failed") != null).orElse(false);
    }

    private static void markFailed(ExtensionContext context) {
        context.getParent().ifPresent(p -> p.getStore(NAMESPACE).put("failed", Boolean.TRUE));
    }

    /** The command that reruns one seed: the Maven module of the test, from the project root. */
    static String replayCommand(long seed, LibosSimulation spec, ExtensionContext context) {
        Path here = Path.of("").toAbsolutePath();
        Path root = here;
        while (root != null && !Files.exists(root.resolve("mvnw"))) {
            root = root.getParent();
        }
        String module = root == null || root.equals(here) ? "" : " -pl " + root.relativize(here);
        String test = context.getRequiredTestClass().getSimpleName() + "#" + context.getRequiredTestMethod().getName();
        StringBuilder properties = new StringBuilder();
        for (String name : spec.replayProperties()) {
            String value = System.getProperty(name);
            if (value != null) {
                properties.append(" -D").append(name).append('=').append(value);
            }
        }
        return "./mvnw" + module + " verify -Dtest='" + test + "' -Dsurefire.failIfNoSpecifiedTests=false" + properties
                + " -D" + SEED_PROPERTY + "=" + seed;
    }

    private record SeedInvocation(long seed, LibosSimulation spec) implements TestTemplateInvocationContext {
        @Override
        public String getDisplayName(int invocationIndex) {
            return "seed " + seed;
        }

        @Override
        public List<org.junit.jupiter.api.extension.Extension> getAdditionalExtensions() {
            return List.of(new SimulationParameter(this), (org.junit.jupiter.api.extension.ExecutionCondition) context ->
                    Boolean.getBoolean(STOP_PROPERTY) && failedBefore(context)
                            ? org.junit.jupiter.api.extension.ConditionEvaluationResult.disabled("an earlier seed failed")
                            : org.junit.jupiter.api.extension.ConditionEvaluationResult.enabled("no seed failed yet"));
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
            markFailed(context);
            String replay = replayCommand(invocation.seed(), invocation.spec(), context);
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
