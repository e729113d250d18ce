package dev.libos.bench.sched;

/**
 * The implementations a benchmark compares, by their JMH {@code impl} parameter value. The report
 * pairs every baseline with {@link #LIBOS} for the same operation (see benchmarks/README.md).
 */
public enum Impl {
    /** libos threads and libos primitives, on a booted kernel. */
    LIBOS("libos", Workers.Kind.LIBOS),
    /** JDK platform threads. */
    PLATFORM_THREADS("platform-threads", Workers.Kind.PLATFORM),
    /** JDK virtual threads on the JDK's default ForkJoinPool scheduler. */
    JDK_VIRTUAL_THREADS("jdk-virtual-threads", Workers.Kind.JDK_VIRTUAL),
    /** {@link java.util.concurrent.locks.ReentrantLock} on platform threads. */
    REENTRANT_LOCK("reentrant-lock", Workers.Kind.PLATFORM),
    /** A {@code synchronized} block on platform threads. */
    SYNCHRONIZED("synchronized", Workers.Kind.PLATFORM),
    /** The read lock of a {@link java.util.concurrent.locks.ReentrantReadWriteLock} on platform threads. */
    RRWL("rrwl", Workers.Kind.PLATFORM);

    private final String paramValue;
    private final Workers.Kind threadKind;

    Impl(String paramValue, Workers.Kind threadKind) {
        this.paramValue = paramValue;
        this.threadKind = threadKind;
    }

    /** The value of the JMH {@code impl} parameter, as printed in reports. */
    public String paramValue() {
        return paramValue;
    }

    /** The kind of thread this implementation's work runs on. */
    public Workers.Kind threadKind() {
        return threadKind;
    }

    /**
     * The implementation named {@code paramValue}.
     *
     * @throws IllegalArgumentException naming the value when no implementation has it
     */
    public static Impl of(String paramValue) {
        for (Impl impl : values()) {
            if (impl.paramValue.equals(paramValue)) {
                return impl;
            }
        }
        throw new IllegalArgumentException("unknown impl: " + paramValue);
    }
}
