package dev.libos.core.sched;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Constructor;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

/**
 * The three JDK 25 internals the libos scheduler needs, reached once at class initialisation
 * (they require {@code --add-opens java.base/java.lang=ALL-UNNAMED}, which executable libos jars
 * carry in their manifest as {@code Add-Opens}):
 * <ul>
 *   <li>{@code ThreadBuilders.VirtualThreadBuilder(Executor)}: a virtual-thread builder whose
 *       threads are mounted by our executor instead of the JDK's ForkJoinPool;</li>
 *   <li>{@code Thread.currentCarrierThread()}: from inside a virtual thread, the platform thread
 *       it is mounted on (our {@link CpuCarrier}), which is how a libos thread finds its CPU
 *       without a map lookup;</li>
 *   <li>{@code VirtualThread.scheduler}: which executor a virtual thread belongs to.</li>
 * </ul>
 * If any of them is missing the kernel cannot boot, and the error says which and why.
 * Public for libos-sim, whose simulation scheduler makes its threads the same way.
 */
public final class JdkVirtualThreads {
    private static final Constructor<?> BUILDER_WITH_EXECUTOR;
    private static final MethodHandle CURRENT_CARRIER;
    private static final VarHandle SCHEDULER;

    static {
        try {
            Class<?> builder = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
            BUILDER_WITH_EXECUTOR = builder.getDeclaredConstructor(Executor.class);
            BUILDER_WITH_EXECUTOR.setAccessible(true);
            MethodHandles.Lookup threadLookup = MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup());
            CURRENT_CARRIER = threadLookup.findStatic(Thread.class, "currentCarrierThread",
                    MethodType.methodType(Thread.class));
            Class<?> virtualThread = Class.forName("java.lang.VirtualThread");
            SCHEDULER = MethodHandles.privateLookupIn(virtualThread, MethodHandles.lookup())
                    .findVarHandle(virtualThread, "scheduler", Executor.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExceptionInInitializerError(new IllegalStateException(
                    "libos needs JDK 25 virtual-thread internals and the JVM option "
                            + "--add-opens java.base/java.lang=ALL-UNNAMED: " + e, e));
        }
    }

    private JdkVirtualThreads() {
    }

    /** A thread factory whose virtual threads are scheduled by {@code scheduler}. */
    public static ThreadFactory factory(Executor scheduler) {
        try {
            return ((Thread.Builder.OfVirtual) BUILDER_WITH_EXECUTOR.newInstance(scheduler)).factory();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create a virtual-thread builder", e);
        }
    }

    /** The platform thread the current thread runs on: itself, or a virtual thread's carrier. */
    static Thread currentCarrier() {
        try {
            return (Thread) CURRENT_CARRIER.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The executor that schedules {@code thread}, or null for a platform thread. */
    public static Executor schedulerOf(Thread thread) {
        return thread.isVirtual() ? (Executor) SCHEDULER.get(thread) : null;
    }
}
