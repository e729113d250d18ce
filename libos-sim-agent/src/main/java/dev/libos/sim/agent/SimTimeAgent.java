package dev.libos.sim.agent;

import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites {@code invokestatic java/lang/System.nanoTime()J} (and {@code currentTimeMillis})
 * into calls of {@link SimTime}, in the JDK classes that compute timeouts with them
 * ({@code java.lang.Thread}, {@code java.lang.VirtualThread}: {@code Thread.sleep} re-parks for
 * {@code nanos - (System.nanoTime() - start)}; {@code java.util.concurrent}: timed waits and
 * queues) and in every application class (not the JDK's, not the test tooling's). Nothing else
 * changes: the call has the same type and size, so the class keeps its layout.
 *
 * <p>Why an agent: JDK 25 offers no way to give a virtual thread another clock, and without
 * one a simulated {@code Thread.sleep} woken at its virtual deadline sees that no real time has
 * passed and parks again, for ever.
 */
public final class SimTimeAgent {
    private static final ClassDesc SYSTEM = ClassDesc.of("java.lang.System");
    private static final ClassDesc SIM_TIME = ClassDesc.of(SimTime.class.getName());
    private static final MethodTypeDesc LONG_NO_ARGS = MethodTypeDesc.of(ConstantDescs.CD_long);
    private static final String[] JDK_PREFIXES = {"java/lang/Thread", "java/lang/VirtualThread", "java/util/concurrent/"};
    private static final String[] SKIPPED_PREFIXES = {"dev/libos/sim/agent/", "org/junit/", "org/apache/maven/",
        "org/opentest4j/", "org/apiguardian/", "jdk/", "sun/", "com/sun/", "java/", "javax/"};
    private static volatile boolean active;

    private SimTimeAgent() {
    }

    static boolean active() {
        return active;
    }

    public static void premain(String args, Instrumentation inst) throws Exception {
        // java.base must read the boot loader's unnamed module to link calls to SimTime.
        inst.redefineModule(Object.class.getModule(), Set.of(SimTime.class.getModule()), Map.of(), Map.of(),
                Set.of(), Map.of());
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
        rewrite(readClass(SimTimeAgent.class));
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
        for (String prefix : JDK_PREFIXES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    static byte[] rewrite(byte[] bytes) {
        ClassFile cf = ClassFile.of();
        ClassModel model = cf.parse(bytes);
        boolean[] found = {false};
        byte[] out = cf.transformClass(model, ClassTransform.transformingMethodBodies((code, element) -> {
            if (element instanceof InvokeInstruction call && call.owner().asSymbol().equals(SYSTEM)
                    && call.typeSymbol().equals(LONG_NO_ARGS)
                    && (call.name().equalsString("nanoTime") || call.name().equalsString("currentTimeMillis"))) {
                found[0] = true;
                code.invokestatic(SIM_TIME, call.name().stringValue(), LONG_NO_ARGS);
            } else {
                code.with(element);
            }
        }));
        return found[0] ? out : null;
    }

    private static byte[] readClass(Class<?> c) throws java.io.IOException {
        try (var in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
            return in.readAllBytes();
        }
    }
}
