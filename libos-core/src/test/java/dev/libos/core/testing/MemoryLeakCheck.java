package dev.libos.core.testing;

import dev.libos.api.memory.Memory;
import java.util.List;

/**
 * Test helper, shared with other modules through libos-core's test jar: asserts that a workload
 * gave back every page run and buffer it took.
 */
public final class MemoryLeakCheck {
    private MemoryLeakCheck() {
    }

    /**
     * Fails, listing every outstanding allocation (with stacks when the memory tracks leaks),
     * unless {@code memory} has none.
     *
     * @throws AssertionError naming each leaked allocation
     */
    public static void assertNoLeaks(Memory memory) {
        List<String> outstanding = memory.outstanding();
        if (!outstanding.isEmpty()) {
            throw new AssertionError(outstanding.size() + " allocation(s) not freed:\n  "
                    + String.join("\n  ", outstanding));
        }
    }
}
