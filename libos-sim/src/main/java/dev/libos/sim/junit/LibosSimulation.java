package dev.libos.sim.junit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test method once per seed, each time in a fresh {@link dev.libos.sim.Simulation} with
 * {@link #hosts()} booted hosts, passed as a parameter of type {@code Simulation}. The method
 * runs on the simulation's driver. A failing seed is reported with the command that replays it;
 * {@code -Dlibos.sim.seed=N} (or {@link #seed()}) runs that one seed only.
 *
 * <pre>{@code
 * @LibosSimulation(hosts = 3, seeds = 200)
 * void survivesCrashes(Simulation sim) { ... }
 * }</pre>
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@TestTemplate
@ExtendWith(LibosSimulationExtension.class)
public @interface LibosSimulation {
    /** Hosts per simulation (h0 at 10.0.0.1, h1 at 10.0.0.2, ...). */
    int hosts() default 3;

    /** Seeds to run: {@link #firstSeed()}, firstSeed + 1, ... */
    int seeds() default 100;

    /** The first seed. */
    long firstSeed() default 1;

    /** Pins one seed (for debugging); -1: not pinned. The system property libos.sim.seed wins over both. */
    long seed() default -1;

    /** Frame loss probability of every wire, 0 to 1. */
    double loss() default 0;

    /** Frame duplication probability of every wire, 0 to 1. */
    double duplication() default 0;

    /** Probability that a frame is held back 3 ms (reordered), 0 to 1. */
    double reordering() default 0;
}
