package dev.libos.net.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The leak check the transport tests rely on does find a leaked buffer. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LeakDetectorSelfTest {
    @Test
    void aDroppedBufferIsReported() {
        assertTrue(RecordingLeakDetector.installed());
        RecordingLeakDetector.collectLeaks(); // start clean
        leakOne();
        // The garbage collector decides when the dropped buffer is found; keep asking (bounded by
        // the timeout) rather than sleep.
        List<String> found = List.of();
        while (found.isEmpty()) {
            found = RecordingLeakDetector.collectLeaks();
        }
        List<String> leaks = found;
        assertEquals(1, leaks.size(), () -> "other leaks: " + leaks);
        assertTrue(leaks.get(0).contains("planted by LeakDetectorSelfTest"), leaks.get(0));
    }

    private static void leakOne() {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.buffer(16);
        buf.touch("planted by LeakDetectorSelfTest");
        // dropped without release
    }
}
