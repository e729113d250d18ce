package dev.libos.core.sched;

import static org.junit.jupiter.api.Assertions.*;

import dev.libos.api.LibOSConfig;
import dev.libos.core.config.KernelConfig;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class SchedulerSmokeTest {
    @Test
    void pingPong() throws Exception {
        Scheduler s = new Scheduler(KernelConfig.from(LibOSConfig.builder().cpus(2).build()));
        s.start();
        LibosThreads threads = new LibosThreads(s);
        int rounds = 200_000;
        Thread[] pair = new Thread[2];
        CountDownLatch ready = new CountDownLatch(1);
        pair[1] = threads.builder().name("b").unstarted(() -> {
            for (int i = 0; i < rounds; i++) { LockSupport.park(); LockSupport.unpark(pair[0]); }
        });
        pair[0] = threads.builder().name("a").unstarted(() -> {
            try { ready.await(); } catch (InterruptedException e) { throw new RuntimeException(e); }
            long t0 = System.nanoTime();
            for (int i = 0; i < rounds; i++) { LockSupport.unpark(pair[1]); LockSupport.park(); }
            System.out.println("ping-pong ns/rt " + (System.nanoTime() - t0) / rounds + " on cpu " + s.current());
        });
        pair[1].start(); pair[0].start(); ready.countDown();
        assertTrue(pair[0].join(Duration.ofSeconds(30)));
        assertTrue(pair[1].join(Duration.ofSeconds(30)));
        System.out.println(s.stats(0) + "\n" + s.stats(1));
        assertEquals(0, threads.drain(Duration.ofSeconds(1)));
        assertEquals(0, s.stop(Duration.ofSeconds(5)));
    }
}
