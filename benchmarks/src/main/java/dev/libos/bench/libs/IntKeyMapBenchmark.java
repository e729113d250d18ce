package dev.libos.bench.libs;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.agrona.collections.Int2ObjectHashMap;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A lookup by an int key on the receive path (UdpLayer's port table, TcpLayer's listeners,
 * ArpCache's IPv4 addresses): {@code HashMap<Integer, V>}, what libos used, against Agrona's
 * {@link Int2ObjectHashMap}. Keys are UDP-port-like values above 1023 (so {@code Integer} boxing
 * is not served from the small-value cache); every other lookup misses, as datagrams to closed
 * ports do. One operation is one lookup.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class IntKeyMapBenchmark {
    static final String LIBOS = "libos";
    static final String AGRONA = "agrona";
    static final int LOOKUPS = 1024;

    @Param({LIBOS, AGRONA})
    public String impl;

    /** Entries in the table. */
    @Param({"16", "1024"})
    public int entries;

    interface IntMap {
        Object get(int key);
    }

    private IntMap map;
    private final int[] keys = new int[LOOKUPS];
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom random = new SplittableRandom(42);
        int[] present = new int[entries];
        Object value = new Object();
        if (LIBOS.equals(impl)) {
            Map<Integer, Object> m = new HashMap<>();
            for (int i = 0; i < entries; i++) {
                present[i] = 1024 + random.nextInt(64_000);
                m.put(present[i], value);
            }
            map = m::get;
        } else if (AGRONA.equals(impl)) {
            Int2ObjectHashMap<Object> m = new Int2ObjectHashMap<>();
            for (int i = 0; i < entries; i++) {
                present[i] = 1024 + random.nextInt(64_000);
                m.put(present[i], value);
            }
            map = m::get;
        } else {
            throw new IllegalArgumentException("unknown impl: " + impl);
        }
        for (int i = 0; i < LOOKUPS; i++) {
            keys[i] = i % 2 == 0 ? present[random.nextInt(entries)] : 1024 + random.nextInt(64_000);
        }
    }

    @Benchmark
    public Object lookup() {
        int i = next;
        next = (i + 1) & (LOOKUPS - 1);
        return map.get(keys[i]);
    }
}
