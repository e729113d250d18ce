package dev.libos.net.ip;

import dev.libos.api.device.NetDevice;
import dev.libos.api.time.ManualClock;
import java.util.List;

/** Drives several stacks on one manual clock, stepping time like a simulator. */
final class Simulation {
    final ManualClock clock = new ManualClock(0);
    private final List<NetStack> stacks = new java.util.ArrayList<>();

    /** Adds a stack to drive. */
    NetStack add(NetStack stack) {
        stacks.add(stack);
        return stack;
    }

    /** Polls every stack until nothing is in flight and nothing moves, stepping {@code stepNanos}. */
    void run(long durationNanos, long stepNanos) {
        long end = clock.nanoTime() + durationNanos;
        while (clock.nanoTime() < end) {
            int work;
            do {
                work = 0;
                for (NetStack stack : stacks) {
                    work += stack.poll(clock.nanoTime());
                }
            } while (work > 0);
            clock.advance(stepNanos);
        }
        for (NetStack stack : stacks) {
            stack.poll(clock.nanoTime());
        }
    }

    static long mac(NetDevice d) {
        long v = 0;
        for (byte b : d.macAddress()) {
            v = (v << 8) | (b & 0xFF);
        }
        return v;
    }
}
