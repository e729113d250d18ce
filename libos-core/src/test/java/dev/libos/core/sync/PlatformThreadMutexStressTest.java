package dev.libos.core.sync;

import java.util.concurrent.ThreadFactory;

/** {@link MutexStressSuite} on platform threads. */
class PlatformThreadMutexStressTest extends MutexStressSuite {
    @Override
    protected ThreadFactory threadFactory() {
        return Thread.ofPlatform().daemon().factory();
    }
}
