package dev.libos.core.sync;

import java.util.concurrent.ThreadFactory;

/** {@link WaitQueueStressSuite} on platform threads. */
class PlatformThreadWaitQueueStressTest extends WaitQueueStressSuite {
    @Override
    protected ThreadFactory threadFactory() {
        return Thread.ofPlatform().daemon().factory();
    }
}
