package dev.libos.api.stat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class SingleWriterCounterTest {

    @Test
    void countsIncrementsAndAdds() {
        SingleWriterCounter counter = new SingleWriterCounter();
        counter.increment();
        counter.increment();
        counter.add(40);
        assertEquals(42, counter.get());
        assertEquals("42", counter.toString());
    }

    @Test
    void arrayCountsPerIndexAndRejectsBadIndexOrLength() {
        SingleWriterCounterArray counters = new SingleWriterCounterArray(3);
        counters.increment(1);
        counters.add(2, 7);
        assertEquals(0, counters.get(0));
        assertEquals(1, counters.get(1));
        assertEquals(7, counters.get(2));
        assertEquals(3, counters.length());
        assertThrows(IndexOutOfBoundsException.class, () -> counters.increment(3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SingleWriterCounterArray(-1));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
    }

    /** A reader on another thread sees the count only grow, and the final count once the writer ended. */
    @Test
    @Timeout(30)
    void readerSeesAMonotonicCountAndTheFinalValue() throws InterruptedException {
        final long writes = 5_000_000;
        SingleWriterCounter counter = new SingleWriterCounter();
        SingleWriterCounterArray array = new SingleWriterCounterArray(1);
        AtomicReference<String> failure = new AtomicReference<>();
        AtomicLong reads = new AtomicLong();
        Thread writer = new Thread(() -> {
            for (long i = 0; i < writes; i++) {
                counter.increment();
                array.increment(0);
            }
        });
        Thread reader = new Thread(() -> {
            long last = 0;
            long lastArray = 0;
            while (last < writes || lastArray < writes) {
                long now = counter.get();
                long nowArray = array.get(0);
                if (now < last || nowArray < lastArray) {
                    failure.set("went back: " + last + " -> " + now + ", array " + lastArray + " -> " + nowArray);
                    return;
                }
                last = now;
                lastArray = nowArray;
                reads.incrementAndGet();
            }
        });
        reader.start();
        writer.start();
        writer.join();
        reader.join();
        assertEquals(null, failure.get());
        assertEquals(writes, counter.get());
        assertEquals(writes, array.get(0));
        assertTrue(reads.get() > 0);
    }
}
