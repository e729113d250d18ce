package dev.libos.bench.libs;

import dev.libos.api.stat.SingleWriterCounter;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A driver's per-frame statistics (one frame and its bytes counted by the polling thread):
 * libos's {@link SingleWriterCounter} (opaque store of a plainly read sum) against the
 * {@code volatile long} {@code ++} the drivers used, and Agrona's {@link AtomicCounter}
 * {@code incrementOpaque}/{@code getAndAddOpaque} on a counters buffer. One operation counts one
 * frame (two counters).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
// Agrona's buffers reach jdk.internal.misc.Unsafe.
@Fork(jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
public class CounterBenchmark {
    static final String LIBOS = "libos";
    static final String VOLATILE = "volatile-long";
    static final String AGRONA = "agrona";

    @Param({LIBOS, VOLATILE, AGRONA})
    public String impl;

    interface FrameCounters {
        void count(int bytes);
    }

    private FrameCounters counters;
    private int bytes = 60;

    static final class VolatileCounters implements FrameCounters {
        volatile long frames;
        volatile long octets;

        @Override
        public void count(int bytes) {
            frames++;
            octets += bytes;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        counters = switch (impl) {
            case LIBOS -> {
                SingleWriterCounter frames = new SingleWriterCounter();
                SingleWriterCounter octets = new SingleWriterCounter();
                yield b -> {
                    frames.increment();
                    octets.add(b);
                };
            }
            case VOLATILE -> new VolatileCounters();
            case AGRONA -> {
                CountersManager manager = new CountersManager(
                        new UnsafeBuffer(ByteBuffer.allocateDirect(CountersManager.METADATA_LENGTH * 4)),
                        new UnsafeBuffer(ByteBuffer.allocateDirect(CountersManager.COUNTER_LENGTH * 4)));
                AtomicCounter frames = manager.newCounter("frames");
                AtomicCounter octets = manager.newCounter("bytes");
                yield b -> {
                    frames.incrementOpaque();
                    octets.getAndAddOpaque(b);
                };
            }
            default -> throw new IllegalArgumentException("unknown impl: " + impl);
        };
    }

    @Benchmark
    public void countFrame() {
        counters.count(bytes);
    }
}
