package dev.libos.core.sync;

import java.util.concurrent.ThreadFactory;

/** {@link CondVarStressSuite} on JDK virtual threads (default scheduler). */
class VirtualThreadCondVarStressTest extends CondVarStressSuite {
    @Override
    protected ThreadFactory threadFactory() {
        return Thread.ofVirtual().factory();
    }
}
