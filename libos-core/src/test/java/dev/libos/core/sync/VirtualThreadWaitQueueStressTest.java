package dev.libos.core.sync;

import java.util.concurrent.ThreadFactory;

/** {@link WaitQueueStressSuite} on JDK virtual threads (default scheduler). */
class VirtualThreadWaitQueueStressTest extends WaitQueueStressSuite {
    @Override
    protected ThreadFactory threadFactory() {
        return Thread.ofVirtual().factory();
    }
}
