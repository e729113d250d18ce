package dev.libos.sim.agent;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The simulation's agent: rewrites, with the class-file API, what in the JDK and in application
 * classes would let a simulated thread see the host's time or the JVM's unseeded randomness
 * ({@link Rewrites} lists what and where): the JDK classes that compute timeouts
 * ({@code Thread.sleep} re-parks for {@code nanos - (System.nanoTime() - start)}; j.u.c timed
 * waits and queues), the date and time API's clock reads, the unseeded random generators, and
 * every application class's clock reads (not the JDK's other classes, not the test tooling's).
 * {@link SimTime} and {@link SimRandom} answer the host's values to every thread the running
 * simulation does not simulate.
 *
 * <p>Why an agent: JDK 25 offers no way to give a virtual thread another clock, and without
 * one a simulated {@code Thread.sleep} woken at its virtual deadline sees that no real time has
 * passed and parks again, for ever.
 */
public final class SimTimeAgent {
    private static final String[] SKIPPED_PREFIXES = {"dev/libos/sim/agent/", "org/junit/", "org/apache/maven/",
        "org/opentest4j/", "org/apiguardian/", "jdk/", "sun/", "com/sun/", "java/", "javax/"};
    private static volatile boolean active;

    private SimTimeAgent() {
    }

    static boolean active() {
        return active;
    }

    public static void premain(String args, Instrumentation inst) throws Exception {
        // java.base must read the boot loader's unnamed module to link calls to SimTime and
        // SimRandom, and export jdk.internal.misc to it for the host's VM.getNanoTimeAdjustment.
        Module agent = SimTime.class.getModule();
        inst.redefineModule(Object.class.getModule(), Set.of(agent), Map.of("jdk.internal.misc", Set.of(agent)), Map.of(),
                Set.of(), Map.of());
        HostClock.nanoTimeAdjustment(0); // initialised here, not first inside a transformed java.time.Clock
        ClassFileTransformer transformer = new ClassFileTransformer() {
            @Override
            public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined,
                                    ProtectionDomain domain, byte[] bytes) {
                if (name == null || !selected(loader, name)) {
                    return null;
                }
                try {
                    return rewrite(bytes);
                } catch (Throwable t) {
                    System.err.println("libos-sim-agent: cannot rewrite " + name + ": " + t);
                    return null;
                }
            }
        };
        // Load the class-file API before the transformer is installed, so that transforming a
        // java.util.concurrent class never has to load the API's classes from inside a transform.
        // A guard and a seed filter make the API generate stack maps: exercised here too.
        rewrite(readClass("/java/util/Random.class"));
        rewrite(readClass("/java/lang/Math.class"));
        inst.addTransformer(transformer, true);
        List<Class<?>> loaded = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (c.getClassLoader() == null && !c.isArray() && !c.isHidden() && inst.isModifiableClass(c)
                    && jdkSelected(c.getName().replace('.', '/'))) {
                loaded.add(c);
            }
        }
        inst.retransformClasses(loaded.toArray(Class<?>[]::new));
        active = true;
    }

    static boolean selected(ClassLoader loader, String name) {
        if (loader == null) {
            return jdkSelected(name);
        }
        if (loader == ClassLoader.getPlatformClassLoader()) {
            return false;
        }
        for (String prefix : SKIPPED_PREFIXES) {
            if (name.startsWith(prefix)) {
                return false;
            }
        }
        return true;
    }

    private static boolean jdkSelected(String name) {
        return Rewrites.jdkSelected(name);
    }

    static byte[] rewrite(byte[] bytes) {
        return Rewrites.rewrite(bytes);
    }

    private static byte[] readClass(String resource) throws java.io.IOException {
        try (var in = Object.class.getResourceAsStream(resource)) {
            return in.readAllBytes();
        }
    }
}
