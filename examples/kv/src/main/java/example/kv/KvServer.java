package example.kv;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The server's parts, independent of the transport: one store and its counters, the pipeline of
 * every accepted connection ({@link #childHandler()}: {@link RespDecoder}, then
 * {@link KvHandler}) and the active expiry cycle. {@link Kv} runs them on Netty's NIO transport;
 * any other transport takes the same child handler.
 */
public final class KvServer {
    /** How often the active expiry cycle runs (Redis: 10 times a second, hz 10). */
    public static final long EXPIRE_CYCLE_PERIOD_MILLIS = 100;

    private final KvStore store = new KvStore();
    private final KvStats stats = new KvStats();
    private final RespLimits limits;
    private final LongSupplier clockMillis;
    private final KvCommands commands;

    /**
     * @param limits what one client may send
     * @param clockMillis a monotonic clock in milliseconds (expiry instants are on it)
     */
    public KvServer(RespLimits limits, LongSupplier clockMillis) {
        this.limits = limits;
        this.clockMillis = clockMillis;
        this.commands = new KvCommands(store, stats, clockMillis);
    }

    /** {@link System#nanoTime()} in milliseconds. */
    public static long monotonicMillis() {
        return System.nanoTime() / 1_000_000;
    }

    /** Sets up an accepted connection's pipeline. */
    public ChannelInitializer<Channel> childHandler() {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel channel) {
                channel.pipeline().addLast(new RespDecoder(limits), new KvHandler(commands, stats));
            }
        };
    }

    /** Runs the active expiry cycle every {@value #EXPIRE_CYCLE_PERIOD_MILLIS} ms on one executor of {@code group}. */
    public ScheduledFuture<?> startExpiryCycle(EventExecutorGroup group) {
        return group.next().scheduleAtFixedRate(this::expireCycle, EXPIRE_CYCLE_PERIOD_MILLIS,
                EXPIRE_CYCLE_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** One active expiry cycle now; returns the keys it removed. */
    public int expireCycle() {
        return store.expireCycle(clockMillis.getAsLong());
    }

    public KvStats stats() {
        return stats;
    }
}
