package dev.libos.sim.agent;

import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.CodeElement;
import java.lang.classfile.CodeTransform;
import java.lang.classfile.Label;
import java.lang.classfile.MethodModel;
import java.lang.classfile.MethodTransform;
import java.lang.classfile.TypeKind;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.lang.reflect.AccessFlag;
import java.util.List;

/**
 * What the agent changes in a class, and in which JDK classes.
 * <ul>
 *   <li><b>Clock reads</b>, in every class it rewrites: {@code System.nanoTime()},
 *       {@code System.currentTimeMillis()} and {@code VM.getNanoTimeAdjustment(long)} (where
 *       {@code java.time.Clock} reads the time: {@code Instant.now()}, {@code LocalDateTime.now()},
 *       {@code Clock.systemUTC()}) become calls of {@link SimTime}: same type, same size.</li>
 *   <li><b>Seed filters</b>: where the JDK derives an unseeded generator's seed from JVM-wide
 *       state, the value passes through {@link SimRandom#seed}, which replaces it on a
 *       simulated thread.</li>
 *   <li><b>Guards</b>: a method that draws from a JVM-wide generator starts with "if this thread
 *       is simulated, answer from {@link SimRandom}"; the rest of the method is unchanged.</li>
 * </ul>
 */
final class Rewrites {
    private static final ClassDesc SYSTEM = ClassDesc.of("java.lang.System");
    private static final ClassDesc VM = ClassDesc.of("jdk.internal.misc.VM");
    private static final ClassDesc SIM_TIME = ClassDesc.of(SimTime.class.getName());
    private static final ClassDesc SIM_RANDOM = ClassDesc.of(SimRandom.class.getName());
    private static final MethodTypeDesc LONG_NO_ARGS = MethodTypeDesc.of(ConstantDescs.CD_long);
    private static final MethodTypeDesc LONG_OF_LONG = MethodTypeDesc.of(ConstantDescs.CD_long, ConstantDescs.CD_long);
    private static final MethodTypeDesc SEED = MethodTypeDesc.of(ConstantDescs.CD_long, ConstantDescs.CD_long,
            ConstantDescs.CD_String);

    /**
     * In {@code className}'s method {@code method} (a class name ending in '/': every class of
     * that package), the {@code occurrence}-th call (from 0; -1: every) of {@code owner.name}
     * returns a long that then passes through {@code SimRandom.filter(long, what)}.
     */
    private record SeedFilter(String className, String method, String owner, String name, int occurrence, String filter,
                              String what) {
        SeedFilter(String className, String method, String owner, String name, int occurrence, String what) {
            this(className, method, owner, name, occurrence, "seed", what);
        }

        boolean in(String cls, String key) {
            return method.equals(key) && (className.endsWith("/")
                    ? cls.startsWith(className) && cls.indexOf('/', className.length()) < 0 : className.equals(cls));
        }
    }

    /** {@code className.method} starts with: if simulated, return {@code SimRandom.target(its arguments, what)}. */
    private record Guard(String className, String method, String target, String what) {
    }

    private static final List<SeedFilter> SEED_FILTERS = List.of(
        // this(seedUniquifier() ^ System.nanoTime()): the uniquifier is a JVM-wide AtomicLong.
        new SeedFilter("java/util/Random", "<init>()V", "java/util/Random", "seedUniquifier", -1, "new Random()"),
        // The calling thread's seed from the JVM-wide seeder; the second call seeds the carrier
        // thread once per carrier (in every run after the first it does not happen), so it is left alone.
        new SeedFilter("java/util/concurrent/ThreadLocalRandom", "localInit()V",
                "jdk/internal/util/random/RandomSupport", "mixMurmur64", 0, "ThreadLocalRandom.current()"),
        // Each step adds (threadId << 1) + GOLDEN_GAMMA: a thread id is a JVM-wide count, another in every run.
        new SeedFilter("java/util/concurrent/ThreadLocalRandom", "nextSeed()J", "java/lang/Thread", "threadId", -1,
                "threadId", "ThreadLocalRandom.current()"),
        new SeedFilter("java/util/SplittableRandom", "<init>()V", "java/util/concurrent/atomic/AtomicLong", "getAndAdd",
                -1, "new SplittableRandom()"),
        // RandomGenerator.getDefault(), RandomGenerator.of(name), new L64X128MixRandom() ...: a JVM-wide default generator.
        new SeedFilter("jdk/internal/random/", "<init>()V", "java/util/concurrent/atomic/AtomicLong", "getAndAdd",
                -1, "RandomGenerator.of(..).create()"));

    private static final List<Guard> GUARDS = List.of(
        new Guard("java/lang/Math", "random()D", "nextDouble", "Math.random()"),
        new Guard("java/lang/StrictMath", "random()D", "nextDouble", "StrictMath.random()"),
        // Every SecureRandom's bytes, whatever its provider: new SecureRandom(), getInstance(..),
        // UUID.randomUUID() (a JVM-wide SecureRandom), File.createTempFile's names.
        new Guard("java/security/SecureRandom", "nextBytes([B)V", "nextBytes", "SecureRandom.nextBytes"),
        new Guard("java/security/SecureRandom", "nextBytes([BLjava/security/SecureRandomParameters;)V", "nextBytes",
                "SecureRandom.nextBytes"),
        new Guard("java/security/SecureRandom", "generateSeed(I)[B", "generateSeed", "SecureRandom.generateSeed"),
        new Guard("java/util/Collections", "shuffle(Ljava/util/List;)V", "shuffle", "Collections.shuffle(List)"));

    /**
     * JDK classes rewritten (by prefix): the timed waits (their remaining time), the date and time
     * API's clock reads, and the classes of the seed filters and guards.
     */
    static final String[] JDK_PREFIXES = {"java/lang/Thread", "java/lang/VirtualThread", "java/util/concurrent/",
        "java/time/Clock", "java/util/Date", "java/util/GregorianCalendar", "java/util/JapaneseImperialCalendar",
        "sun/util/calendar/", "sun/util/locale/provider/CalendarProviderImpl", "java/text/SimpleDateFormat",
        "java/util/zip/ZipOutputStream", "java/net/HttpCookie",
        "java/util/Random", "java/util/SplittableRandom", "java/lang/Math", "java/lang/StrictMath",
        "java/security/SecureRandom", "java/util/Collections", "jdk/internal/random/"};

    private Rewrites() {
    }

    static boolean jdkSelected(String name) {
        for (String prefix : JDK_PREFIXES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** The rewritten class, or null when nothing in it changes. */
    static byte[] rewrite(byte[] bytes) {
        ClassFile cf = ClassFile.of();
        ClassModel model = cf.parse(bytes);
        String className = model.thisClass().asInternalName();
        boolean[] changed = {false};
        byte[] out = cf.transformClass(model, (classBuilder, element) -> {
            if (element instanceof MethodModel method && method.code().isPresent()) {
                classBuilder.transformMethod(method, MethodTransform.transformingCode(codeTransform(className, method, changed)));
            } else {
                classBuilder.with(element);
            }
        });
        return changed[0] ? out : null;
    }

    private static CodeTransform codeTransform(String className, MethodModel method, boolean[] changed) {
        String key = method.methodName().stringValue() + method.methodTypeSymbol().descriptorString();
        Guard guard = null;
        for (Guard g : GUARDS) {
            if (g.className.equals(className) && g.method.equals(key)) {
                guard = g;
            }
        }
        List<SeedFilter> filters = SEED_FILTERS.stream()
                .filter(f -> f.in(className, key)).toList();
        int[] seen = new int[filters.size()];
        Guard startGuard = guard;
        return new CodeTransform() {
            @Override
            public void atStart(CodeBuilder code) {
                if (startGuard != null) {
                    emitGuard(code, method, startGuard);
                    changed[0] = true;
                }
            }

            @Override
            public void accept(CodeBuilder code, CodeElement element) {
                if (!(element instanceof InvokeInstruction call)) {
                    code.with(element);
                    return;
                }
                if (redirectClockRead(code, call)) {
                    changed[0] = true;
                    return;
                }
                code.with(element);
                for (int i = 0; i < filters.size(); i++) {
                    SeedFilter f = filters.get(i);
                    if (call.owner().asInternalName().equals(f.owner) && call.name().equalsString(f.name)
                            && (f.occurrence < 0 || seen[i]++ == f.occurrence)) {
                        code.ldc(f.what);
                        code.invokestatic(SIM_RANDOM, f.filter, SEED);
                        changed[0] = true;
                    }
                }
            }
        };
    }

    private static boolean redirectClockRead(CodeBuilder code, InvokeInstruction call) {
        ClassDesc owner = call.owner().asSymbol();
        if (owner.equals(SYSTEM) && call.typeSymbol().equals(LONG_NO_ARGS)
                && (call.name().equalsString("nanoTime") || call.name().equalsString("currentTimeMillis"))) {
            code.invokestatic(SIM_TIME, call.name().stringValue(), LONG_NO_ARGS);
            return true;
        }
        if (owner.equals(VM) && call.name().equalsString("getNanoTimeAdjustment") && call.typeSymbol().equals(LONG_OF_LONG)) {
            code.invokestatic(SIM_TIME, "nanoTimeAdjustment", LONG_OF_LONG);
            return true;
        }
        return false;
    }

    private static void emitGuard(CodeBuilder code, MethodModel method, Guard guard) {
        MethodTypeDesc type = method.methodTypeSymbol();
        Label original = code.newLabel();
        code.invokestatic(SIM_RANDOM, "simulated", MethodTypeDesc.of(ConstantDescs.CD_boolean));
        code.ifeq(original);
        int slot = method.flags().has(AccessFlag.STATIC) ? 0 : 1;
        for (ClassDesc parameter : type.parameterList()) {
            TypeKind kind = TypeKind.from(parameter);
            code.loadLocal(kind, slot);
            slot += kind.slotSize();
        }
        code.ldc(guard.what);
        code.invokestatic(SIM_RANDOM, guard.target, type.insertParameterTypes(type.parameterCount(), ConstantDescs.CD_String));
        code.return_(TypeKind.from(type.returnType()));
        code.labelBinding(original);
    }
}
