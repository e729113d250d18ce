package dev.libos.net.tcp;

import java.util.function.Supplier;

/**
 * The settings of a TCP layer and its connections, validated once by {@link Builder#build()}
 * (the error names the bad setting). Immutable; shared by every connection of a layer.
 */
public final class TcpConfig {
    /** Largest receive buffer: with the maximum window scale of 14 the window reaches 2^30 - 2^14. */
    public static final int MAX_BUFFER_BYTES = 1 << 29;

    private final int maxSegmentSize;
    private final int sendBufferBytes;
    private final int receiveBufferBytes;
    private final boolean windowScaling;
    private final boolean timestamps;
    private final boolean sack;
    private final long initialRtoNanos;
    private final long minRtoNanos;
    private final long maxRtoNanos;
    private final int maxRetransmissions;
    private final int maxSynRetransmissions;
    private final long delayedAckNanos;
    private final boolean noDelay;
    private final boolean keepalive;
    private final long keepaliveIdleNanos;
    private final long keepaliveIntervalNanos;
    private final int keepaliveCount;
    private final long mslNanos;
    private final int maxOutOfOrderRanges;
    private final int initialWindowSegments;
    private final Supplier<CongestionControl> congestionControl;
    private final int challengeAcksPerSecond;

    private TcpConfig(Builder b) {
        maxSegmentSize = b.maxSegmentSize;
        sendBufferBytes = b.sendBufferBytes;
        receiveBufferBytes = b.receiveBufferBytes;
        windowScaling = b.windowScaling;
        timestamps = b.timestamps;
        sack = b.sack;
        initialRtoNanos = b.initialRtoNanos;
        minRtoNanos = b.minRtoNanos;
        maxRtoNanos = b.maxRtoNanos;
        maxRetransmissions = b.maxRetransmissions;
        maxSynRetransmissions = b.maxSynRetransmissions;
        delayedAckNanos = b.delayedAckNanos;
        noDelay = b.noDelay;
        keepalive = b.keepalive;
        keepaliveIdleNanos = b.keepaliveIdleNanos;
        keepaliveIntervalNanos = b.keepaliveIntervalNanos;
        keepaliveCount = b.keepaliveCount;
        mslNanos = b.mslNanos;
        maxOutOfOrderRanges = b.maxOutOfOrderRanges;
        initialWindowSegments = b.initialWindowSegments;
        congestionControl = b.congestionControl;
        challengeAcksPerSecond = b.challengeAcksPerSecond;
    }

    /** The defaults (see {@link Builder}). */
    public static TcpConfig defaults() {
        return builder().build();
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Largest segment we announce (MSS option); the IP layer's limit may lower it per route. */
    public int maxSegmentSize() {
        return maxSegmentSize;
    }

    /** Send buffer capacity per connection. */
    public int sendBufferBytes() {
        return sendBufferBytes;
    }

    /** Receive buffer capacity per connection (the largest window we offer). */
    public int receiveBufferBytes() {
        return receiveBufferBytes;
    }

    /** Offer window scaling (RFC 7323 section 2). */
    public boolean windowScaling() {
        return windowScaling;
    }

    /** Offer timestamps (RFC 7323 section 3) and use them for PAWS. */
    public boolean timestamps() {
        return timestamps;
    }

    /** Offer SACK (RFC 2018). */
    public boolean sack() {
        return sack;
    }

    /** RTO before the first RTT sample (RFC 6298 section 2.1: 1 s). */
    public long initialRtoNanos() {
        return initialRtoNanos;
    }

    /** Lower bound of the RTO (RFC 6298 section 2.4 says 1 s; stacks commonly use 200 ms). */
    public long minRtoNanos() {
        return minRtoNanos;
    }

    /** Upper bound of the RTO (RFC 6298 section 2.5: at least 60 s). */
    public long maxRtoNanos() {
        return maxRtoNanos;
    }

    /** Retransmission timeouts of one segment before the connection is aborted. */
    public int maxRetransmissions() {
        return maxRetransmissions;
    }

    /** SYN (or SYN-ACK) retransmissions before giving up. */
    public int maxSynRetransmissions() {
        return maxSynRetransmissions;
    }

    /** Delayed-ACK timer (RFC 9293 section 3.8.6.3: less than 0.5 s). */
    public long delayedAckNanos() {
        return delayedAckNanos;
    }

    /** TCP_NODELAY: true disables Nagle's algorithm. */
    public boolean noDelay() {
        return noDelay;
    }

    /** Send keepalive probes on idle connections (RFC 9293 section 3.8.4; off by default as the RFC requires). */
    public boolean keepalive() {
        return keepalive;
    }

    /** Idle time before the first keepalive probe (RFC 9293: no less than two hours by default). */
    public long keepaliveIdleNanos() {
        return keepaliveIdleNanos;
    }

    /** Time between unanswered keepalive probes. */
    public long keepaliveIntervalNanos() {
        return keepaliveIntervalNanos;
    }

    /** Unanswered keepalive probes before the connection is aborted. */
    public int keepaliveCount() {
        return keepaliveCount;
    }

    /** Maximum segment lifetime; TIME-WAIT lasts twice this. */
    public long mslNanos() {
        return mslNanos;
    }

    /** Out-of-order ranges held for reassembly per connection; segments that would add more are dropped. */
    public int maxOutOfOrderRanges() {
        return maxOutOfOrderRanges;
    }

    /** Initial congestion window in segments (RFC 6928 allows 10). */
    public int initialWindowSegments() {
        return initialWindowSegments;
    }

    /** A new congestion controller (one per connection). */
    public CongestionControl newCongestionControl() {
        return congestionControl.get();
    }

    /** Challenge ACKs allowed per second per layer (RFC 5961 section 7). */
    public int challengeAcksPerSecond() {
        return challengeAcksPerSecond;
    }

    /** Collects settings; {@link #build()} validates them. */
    public static final class Builder {
        private int maxSegmentSize = 1460;
        private int sendBufferBytes = 256 * 1024;
        private int receiveBufferBytes = 256 * 1024;
        private boolean windowScaling = true;
        private boolean timestamps = true;
        private boolean sack = true;
        private long initialRtoNanos = 1_000_000_000L;
        private long minRtoNanos = 200_000_000L;
        private long maxRtoNanos = 60_000_000_000L;
        private int maxRetransmissions = 15;
        private int maxSynRetransmissions = 6;
        private long delayedAckNanos = 40_000_000L;
        private boolean noDelay;
        private boolean keepalive;
        private long keepaliveIdleNanos = 7_200_000_000_000L;
        private long keepaliveIntervalNanos = 75_000_000_000L;
        private int keepaliveCount = 9;
        private long mslNanos = 30_000_000_000L;
        private int maxOutOfOrderRanges = 16;
        private int initialWindowSegments = 10;
        private Supplier<CongestionControl> congestionControl = CubicCongestionControl::new;
        private int challengeAcksPerSecond = 1000;

        private Builder() {
        }

        /** @see TcpConfig#maxSegmentSize() */
        public Builder maxSegmentSize(int bytes) {
            this.maxSegmentSize = bytes;
            return this;
        }

        /** @see TcpConfig#sendBufferBytes() */
        public Builder sendBufferBytes(int bytes) {
            this.sendBufferBytes = bytes;
            return this;
        }

        /** @see TcpConfig#receiveBufferBytes() */
        public Builder receiveBufferBytes(int bytes) {
            this.receiveBufferBytes = bytes;
            return this;
        }

        /** @see TcpConfig#windowScaling() */
        public Builder windowScaling(boolean on) {
            this.windowScaling = on;
            return this;
        }

        /** @see TcpConfig#timestamps() */
        public Builder timestamps(boolean on) {
            this.timestamps = on;
            return this;
        }

        /** @see TcpConfig#sack() */
        public Builder sack(boolean on) {
            this.sack = on;
            return this;
        }

        /** @see TcpConfig#initialRtoNanos() */
        public Builder initialRtoNanos(long nanos) {
            this.initialRtoNanos = nanos;
            return this;
        }

        /** @see TcpConfig#minRtoNanos() */
        public Builder minRtoNanos(long nanos) {
            this.minRtoNanos = nanos;
            return this;
        }

        /** @see TcpConfig#maxRtoNanos() */
        public Builder maxRtoNanos(long nanos) {
            this.maxRtoNanos = nanos;
            return this;
        }

        /** @see TcpConfig#maxRetransmissions() */
        public Builder maxRetransmissions(int count) {
            this.maxRetransmissions = count;
            return this;
        }

        /** @see TcpConfig#maxSynRetransmissions() */
        public Builder maxSynRetransmissions(int count) {
            this.maxSynRetransmissions = count;
            return this;
        }

        /** @see TcpConfig#delayedAckNanos() */
        public Builder delayedAckNanos(long nanos) {
            this.delayedAckNanos = nanos;
            return this;
        }

        /** @see TcpConfig#noDelay() */
        public Builder noDelay(boolean on) {
            this.noDelay = on;
            return this;
        }

        /** Enables keepalive with its three parameters. */
        public Builder keepalive(long idleNanos, long intervalNanos, int count) {
            this.keepalive = true;
            this.keepaliveIdleNanos = idleNanos;
            this.keepaliveIntervalNanos = intervalNanos;
            this.keepaliveCount = count;
            return this;
        }

        /** @see TcpConfig#mslNanos() */
        public Builder mslNanos(long nanos) {
            this.mslNanos = nanos;
            return this;
        }

        /** @see TcpConfig#maxOutOfOrderRanges() */
        public Builder maxOutOfOrderRanges(int ranges) {
            this.maxOutOfOrderRanges = ranges;
            return this;
        }

        /** @see TcpConfig#initialWindowSegments() */
        public Builder initialWindowSegments(int segments) {
            this.initialWindowSegments = segments;
            return this;
        }

        /** The congestion control of new connections ({@link CubicCongestionControl} by default). */
        public Builder congestionControl(Supplier<CongestionControl> factory) {
            this.congestionControl = factory;
            return this;
        }

        /** @see TcpConfig#challengeAcksPerSecond() */
        public Builder challengeAcksPerSecond(int count) {
            this.challengeAcksPerSecond = count;
            return this;
        }

        /** Validates every setting and builds the configuration. */
        public TcpConfig build() {
            require("maxSegmentSize", maxSegmentSize, 64, 65495);
            require("sendBufferBytes", sendBufferBytes, 1, MAX_BUFFER_BYTES);
            require("receiveBufferBytes", receiveBufferBytes, 1, MAX_BUFFER_BYTES);
            if (!windowScaling && receiveBufferBytes > 65535) {
                throw new IllegalArgumentException("receiveBufferBytes above 65535 needs windowScaling: "
                        + receiveBufferBytes);
            }
            require("initialRtoNanos", initialRtoNanos, 1, Long.MAX_VALUE / 4);
            require("minRtoNanos", minRtoNanos, 1, initialRtoNanos);
            require("maxRtoNanos", maxRtoNanos, initialRtoNanos, Long.MAX_VALUE / 4);
            require("maxRetransmissions", maxRetransmissions, 1, 100);
            require("maxSynRetransmissions", maxSynRetransmissions, 0, 100);
            require("delayedAckNanos", delayedAckNanos, 0, 500_000_000L);
            require("keepaliveIdleNanos", keepaliveIdleNanos, 1, Long.MAX_VALUE / 4);
            require("keepaliveIntervalNanos", keepaliveIntervalNanos, 1, Long.MAX_VALUE / 4);
            require("keepaliveCount", keepaliveCount, 1, 1000);
            require("mslNanos", mslNanos, 0, Long.MAX_VALUE / 4);
            require("maxOutOfOrderRanges", maxOutOfOrderRanges, 0, 1024);
            require("initialWindowSegments", initialWindowSegments, 1, 100);
            require("challengeAcksPerSecond", challengeAcksPerSecond, 1, 1_000_000);
            if (congestionControl == null) {
                throw new IllegalArgumentException("congestionControl must not be null");
            }
            return new TcpConfig(this);
        }

        private static void require(String name, long value, long min, long max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "]: " + value);
            }
        }
    }
}
