package dev.libos.bench.netstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * Guards issue 11's figure: the {@link TcpStackRoundTripBenchmark} loop (two libos-net stacks
 * on this one thread, over a wire that allocates nothing) allocates nothing in steady state.
 * Counted in bytes with the thread's allocated-bytes counter, never with time.
 *
 * <p>Why the least of several batches: the first batch still makes what is made once (the
 * rings, the JIT's own objects). The loop allocates nothing without help from the JIT's escape
 * analysis (0 from the second or third batch even with {@code -Xint} or {@code
 * -XX:TieredStopAtLevel=1}), so the test passes as soon as one whole batch of round trips
 * allocates 0 bytes and fails only if none of {@value #MAX_BATCHES} does, which no amount of
 * machine load changes for code that allocates per segment or per round trip (before issue
 * 11's work every batch made 368 672 bytes).
 */
class TcpStackRoundTripAllocationTest {
    private static final int MAX_BATCHES = 300;

    @Test
    void oneByteMessagesAllocateNothing() {
        assertNoAllocationPerRoundTrip(1);
    }

    @Test
    void oneKibMessagesAllocateNothing() {
        assertNoAllocationPerRoundTrip(1024);
    }

    private static void assertNoAllocationPerRoundTrip(int size) {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "this JVM does not count allocated bytes per thread");
        threads.setThreadAllocatedMemoryEnabled(true);
        TcpStackRoundTripBenchmark benchmark = new TcpStackRoundTripBenchmark();
        benchmark.impl = "libos";
        benchmark.size = size;
        benchmark.setUp();
        long least = Long.MAX_VALUE;
        int batches = 0;
        while (batches < MAX_BATCHES && least > 0) {
            long before = threads.getCurrentThreadAllocatedBytes();
            benchmark.roundTrip(); // checks every reply's content itself
            least = Math.min(least, threads.getCurrentThreadAllocatedBytes() - before);
            batches++;
        }
        assertEquals(0, least, "size " + size + ": the least allocation of " + batches + " batches of "
                + TcpStackRoundTripBenchmark.ROUND_TRIPS + " round trips, in bytes");
        System.out.println("TcpStackRoundTrip size " + size + ": a batch of " + TcpStackRoundTripBenchmark.ROUND_TRIPS
                + " round trips allocated 0 bytes after " + batches + " batches");
    }
}
