package dev.libos.sim;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;

/**
 * Two JDK 25 virtual-thread internals the driver needs (reached with
 * {@code --add-opens java.base/java.lang=ALL-UNNAMED}, which libos needs anyway):
 * <ul>
 *   <li>which thread a submitted continuation belongs to: the JDK submits
 *       {@code VirtualThread.runContinuation}, a bound method reference whose one captured
 *       value is the thread;</li>
 *   <li>{@code VirtualThread.onWaitingList}: a thread released from a monitor (or notified)
 *       is put on the JVM's unblock list and submitted later by the JDK's
 *       "VirtualThread-unblocker" thread; until then the driver must wait, or that thread's
 *       arrival would race with the driver's choice.</li>
 * </ul>
 */
final class VirtualThreadProbe {
    private static final VarHandle ON_WAITING_LIST;

    static {
        try {
            Class<?> virtualThread = Class.forName("java.lang.VirtualThread");
            ON_WAITING_LIST = MethodHandles.privateLookupIn(virtualThread, MethodHandles.lookup())
                    .findVarHandle(virtualThread, "onWaitingList", boolean.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExceptionInInitializerError(new IllegalStateException(
                    "libos-sim needs JDK 25 virtual-thread internals and "
                            + "--add-opens java.base/java.lang=ALL-UNNAMED: " + e, e));
        }
    }

    private VirtualThreadProbe() {
    }

    /** The virtual thread whose continuation {@code task} runs, or null when it is not one. */
    static Thread threadOf(Runnable task) {
        for (Field field : task.getClass().getDeclaredFields()) {
            if (Thread.class.isAssignableFrom(field.getType())) {
                try {
                    field.setAccessible(true);
                    return (Thread) field.get(task);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /** True while the JVM has {@code thread} on its list of threads to unblock. */
    static boolean awaitingUnblock(Thread thread) {
        return (boolean) ON_WAITING_LIST.getVolatile(thread);
    }
}
