package dev.libos.core.sync;

import java.util.concurrent.ThreadFactory;

/** {@link CondVarStressSuite} on platform threads. */
class PlatformThreadCondVarStressTest extends CondVarStressSuite {
    @Override
    protected ThreadFactory threadFactory() {
        return Thread.ofPlatform().daemon().factory();
    }
}
