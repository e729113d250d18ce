package dev.libos.core.sync;

import java.util.concurrent.ThreadFactory;

/** {@link MutexStressSuite} on JDK virtual threads (default scheduler). */
class VirtualThreadMutexStressTest extends MutexStressSuite {
    @Override
    protected ThreadFactory threadFactory() {
        return Thread.ofVirtual().factory();
    }
}
