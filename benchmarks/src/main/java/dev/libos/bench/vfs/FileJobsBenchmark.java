package dev.libos.bench.vfs;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The file jobs of suite {@code vfs}, the same for every pair compared: a subclass names the
 * pair with its {@code impl} parameter and opens the {@link FileSide} for it. Buffers are
 * direct on both sides (java.nio's fastest path; the VFS copies from either kind alike).
 * Each job runs on the JMH thread and checks its result.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public abstract class FileJobsBenchmark {
    private FileSide side;
    private ByteBuffer small;
    private ByteBuffer readBack;
    private ByteBuffer chunk;

    /** The side named by this benchmark's {@code impl} parameter. */
    protected abstract FileSide openSide() throws Exception;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        side = openSide();
        small = patterned(FileSide.SMALL_FILE_BYTES, 1);
        readBack = ByteBuffer.allocateDirect(FileSide.SMALL_FILE_BYTES);
        chunk = patterned(FileSide.CHUNK_BYTES, 2);
        byte[] large = new byte[FileSide.LARGE_FILE_BYTES];
        for (int i = 0; i < large.length; i++) {
            large[i] = (byte) (i * 31 + 3);
        }
        side.prepareFile("large", large);
    }

    private static ByteBuffer patterned(int bytes, int seed) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(bytes);
        for (int i = 0; i < bytes; i++) {
            buffer.put(i, (byte) (i * 7 + seed));
        }
        return buffer;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        side.close();
    }

    /** Create an empty file (exclusive), stat it, unlink it. */
    @Benchmark
    public void createStatUnlink() throws Exception {
        side.createStatUnlink("meta");
    }

    /** Write 4 KiB to a truncated file, fsync, read the 4 KiB back (compared with what was written). */
    @Benchmark
    public byte smallFileWriteFsyncRead() throws Exception {
        byte first = side.smallFileWriteFsyncRead("small", small, readBack);
        if (small.clear().mismatch(readBack.clear()) != -1) {
            throw new IllegalStateException("small file read back differs from what was written");
        }
        return first;
    }

    /** Write 1 MiB to a truncated file in 64 KiB calls, no fsync. */
    @Benchmark
    public void sequentialWrite1MiB() throws Exception {
        side.sequentialWrite("sequential", chunk);
    }

    /** Read a 1 MiB file (written and synced in the setup) in 64 KiB calls. */
    @Benchmark
    public long sequentialRead1MiB() throws Exception {
        long n = side.sequentialRead("large", chunk);
        FileSide.check("bytes read", FileSide.LARGE_FILE_BYTES, n);
        return n;
    }
}
