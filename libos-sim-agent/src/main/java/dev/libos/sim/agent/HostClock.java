package dev.libos.sim.agent;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The host's {@code jdk.internal.misc.VM.getNanoTimeAdjustment}, for threads the simulation
 * does not simulate. Reached through a method handle: the agent exports {@code jdk.internal.misc}
 * to itself at start ({@link SimTimeAgent#premain}), which initialises this class right after,
 * outside any transformed JDK method.
 */
final class HostClock {
    private static final MethodHandle ADJUSTMENT;

    static {
        try {
            ADJUSTMENT = MethodHandles.lookup().findStatic(Class.forName("jdk.internal.misc.VM"), "getNanoTimeAdjustment",
                    MethodType.methodType(long.class, long.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private HostClock() {
    }

    static long nanoTimeAdjustment(long offsetSeconds) {
        try {
            return (long) ADJUSTMENT.invokeExact(offsetSeconds);
        } catch (Throwable t) {
            throw new IllegalStateException("VM.getNanoTimeAdjustment failed", t);
        }
    }
}
