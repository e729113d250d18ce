package dev.libos.net.tcp;

import static dev.libos.net.wire.TcpFlags.ACK;
import static dev.libos.net.wire.TcpFlags.RST;
import static dev.libos.net.wire.TcpFlags.SYN;

import dev.libos.net.ip.IpProtocolHandler;
import dev.libos.net.ip.Ipv4Output;
import dev.libos.net.wire.IpProtocol;
import dev.libos.net.wire.Ipv4Address;
import dev.libos.net.wire.Ipv4Repr;
import dev.libos.net.wire.TcpOptions;
import dev.libos.net.wire.TcpRepr;
import dev.libos.net.wire.TcpSegment;
import dev.libos.net.wire.WireCheck;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * TCP over IPv4: validates arriving segments, routes them to connections by 4-tuple or to
 * listeners, answers segments for no connection with RST (RFC 9293 section 3.10.7.1), opens
 * connections with ephemeral ports and RFC 6528 initial sequence numbers, enforces limits on
 * connections and buffer memory, and drives every connection's timers from {@link #poll}.
 * Single-threaded: the stack's poller owns it.
 */
public final class TcpLayer implements IpProtocolHandler {
    /** First ephemeral port (RFC 6335 section 6). */
    public static final int EPHEMERAL_FIRST = 49152;
    /** Last ephemeral port. */
    public static final int EPHEMERAL_LAST = 65535;
    private static final MemorySegment EMPTY = MemorySegment.ofArray(new byte[0]);

    private final Ipv4Output ip;
    private final TcpConfig config;
    private final int maxConnections;
    private final long maxBufferBytes;
    private final long isnSecret;
    private final ChallengeAckLimiter challengeAcks;
    private final Map<FourTuple, Entry> connections = new HashMap<>();
    private final Map<Integer, TcpListener> listeners = new HashMap<>();
    private final TcpCounters counters = new TcpCounters();
    private final TcpCounters closedConnectionCounters = new TcpCounters();
    private final TcpSegment view = new TcpSegment();
    private final SegmentWriter writer = new SegmentWriter();
    private int nextEphemeral;
    private long committedBufferBytes;

    private static final class Entry {
        final FourTuple key;
        TcpConnection connection;
        TcpListener listener;
        boolean established;
        long committedBytes;

        Entry(FourTuple key, TcpListener listener) {
            this.key = key;
            this.listener = listener;
        }
    }

    /** Writes a segment into the frame the IP layer offers: data first, then header and checksum. */
    private final class SegmentWriter implements Ipv4Output.PayloadWriter {
        TcpRepr header;
        MemorySegment data;
        Ipv4Address source;
        Ipv4Address destination;

        @Override
        public void write(MemorySegment payload) {
            write(payload, false);
        }

        @Override
        public void write(MemorySegment payload, boolean checksumByDevice) {
            int headerLength = header.headerLength();
            if (header.payloadLength() > 0) {
                MemorySegment.copy(data, 0, payload, headerLength, header.payloadLength());
            }
            TcpSegment segment = view.wrap(payload, 0, (int) payload.byteSize());
            if (checksumByDevice) {
                header.emitHeader(segment); // the IP layer leaves the checksum to the device
            } else {
                header.emit(segment, source, destination);
            }
        }
    }

    /**
     * @param ip where segments go
     * @param config settings for every connection
     * @param random entropy for the ISN secret and the first ephemeral port (seeded in tests)
     * @param maxConnections connections in the table (all states) at most
     * @param maxBufferBytes send plus receive buffer capacity of established connections at most
     */
    public TcpLayer(Ipv4Output ip, TcpConfig config, RandomGenerator random, int maxConnections, long maxBufferBytes) {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be >= 1: " + maxConnections);
        }
        if (maxBufferBytes < (long) config.sendBufferBytes() + config.receiveBufferBytes()) {
            throw new IllegalArgumentException("maxBufferBytes must hold one connection's buffers: " + maxBufferBytes);
        }
        this.ip = ip;
        this.config = config;
        this.maxConnections = maxConnections;
        this.maxBufferBytes = maxBufferBytes;
        this.isnSecret = random.nextLong();
        this.nextEphemeral = EPHEMERAL_FIRST + random.nextInt(EPHEMERAL_LAST - EPHEMERAL_FIRST + 1);
        this.challengeAcks = new ChallengeAckLimiter(config.challengeAcksPerSecond());
    }

    // ------------------------------------------------------------------ application side

    /**
     * Listens on {@code port} (any local address).
     *
     * @throws IllegalArgumentException when the port is out of range or already has a listener
     */
    public TcpListener listen(int port, int synBacklog, int acceptBacklog) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be in [1, 65535]: " + port);
        }
        if (listeners.containsKey(port)) {
            throw new IllegalArgumentException("port already has a listener: " + port);
        }
        TcpListener listener = new TcpListener(this, port, synBacklog, acceptBacklog, BufferSizes.of(config));
        listeners.put(port, listener);
        return listener;
    }

    /** How many ports have a listener now. */
    public int listenerCount() {
        return listeners.size();
    }

    void closeListener(TcpListener listener) {
        listeners.remove(listener.localPort(), listener);
        List<TcpConnection> pending = new ArrayList<>(listener.acceptQueue);
        for (FourTuple key : listener.halfOpen) {
            Entry e = connections.get(key);
            if (e != null) {
                pending.add(e.connection);
            }
        }
        listener.halfOpen.clear();
        listener.acceptQueue.clear();
        for (TcpConnection c : pending) {
            c.abort();
        }
        sweepClosed();
    }

    /**
     * Opens a connection to {@code remote}:{@code remotePort} from an ephemeral port; the SYN
     * leaves at once.
     *
     * @return the connection (in SYN-SENT), or null when there is no route, no free ephemeral
     *     port, or the connection or memory limit is reached (counted)
     */
    public TcpConnection connect(Ipv4Address remote, int remotePort, long nowNanos) {
        return connect(remote, remotePort, BufferSizes.of(config), nowNanos);
    }

    /** {@link #connect(Ipv4Address, int, long)} with the socket's buffer sizes. */
    public TcpConnection connect(Ipv4Address remote, int remotePort, BufferSizes buffers, long nowNanos) {
        if (remotePort < 1 || remotePort > 65535) {
            throw new IllegalArgumentException("remotePort must be in [1, 65535]: " + remotePort);
        }
        Ipv4Address local = ip.sourceFor(remote);
        if (local == null) {
            return null;
        }
        long need = buffers.totalBytes();
        if (connections.size() >= maxConnections || committedBufferBytes + need > maxBufferBytes) {
            counters.increment(TcpCounter.CONNECTION_LIMIT_DROPS);
            return null;
        }
        FourTuple key = null;
        int span = EPHEMERAL_LAST - EPHEMERAL_FIRST + 1;
        for (int i = 0; i < span; i++) {
            int port = EPHEMERAL_FIRST + Math.floorMod(nextEphemeral - EPHEMERAL_FIRST + i, span);
            FourTuple candidate = new FourTuple(local.value(), port, remote.value(), remotePort);
            if (!connections.containsKey(candidate) && !listeners.containsKey(port)) {
                key = candidate;
                nextEphemeral = port + 1;
                break;
            }
        }
        if (key == null) {
            return null;
        }
        Entry entry = new Entry(key, null);
        entry.committedBytes = need;
        committedBufferBytes += need;
        connections.put(key, entry);
        entry.connection = TcpConnection.connect(config, buffers, outputFor(key), challengeAcks, key.localPort(), remotePort,
                initialSequenceNumber(key, nowNanos), mssFor(remote), nowNanos);
        settle(entry);
        return entry.connection;
    }

    // ------------------------------------------------------------------ IP side

    @Override
    public void onDatagram(Ipv4Repr ipHeader, MemorySegment payload, long nowNanos) {
        onDatagram(ipHeader, payload, false, nowNanos);
    }

    @Override
    public void onDatagram(Ipv4Repr ipHeader, MemorySegment payload, boolean checksumVerified, long nowNanos) {
        counters.increment(TcpCounter.SEGMENTS_RECEIVED);
        int source = ipHeader.source().value();
        int destination = ipHeader.destination().value();
        long length = payload.byteSize();
        if (length > 0xFFFF || TcpSegment.check(payload, 0, (int) length, source, destination, checksumVerified) != WireCheck.OK) {
            counters.increment(TcpCounter.MALFORMED_SEGMENTS);
            return;
        }
        view.wrap(payload, 0, (int) length);
        TcpRepr segment = TcpRepr.parse(view);
        MemorySegment data = segment.payloadLength() == 0 ? EMPTY : view.payload();
        // RFC 9293 section 3.9.1 / RFC 1122 4.2.3.10: segments from or to broadcast and multicast
        // addresses, and port 0, are not TCP's.
        if (!unicast(source) || !unicast(destination) || segment.sourcePort() == 0 || segment.destinationPort() == 0) {
            counters.increment(TcpCounter.MALFORMED_SEGMENTS);
            return;
        }
        FourTuple key = new FourTuple(destination, segment.destinationPort(), source, segment.sourcePort());
        Entry entry = connections.get(key);
        if (entry != null) {
            entry.connection.onSegment(segment, data, nowNanos);
            settle(entry);
            return;
        }
        TcpListener listener = listeners.get(segment.destinationPort());
        int flags = segment.flags();
        if (listener != null && (flags & (SYN | ACK | RST)) == SYN) {
            onListenerSyn(listener, key, segment, nowNanos);
            return;
        }
        counters.increment(TcpCounter.NO_CONNECTION_SEGMENTS);
        if (listener != null && (flags & (ACK | RST)) == 0) {
            // LISTEN: a segment with neither SYN, ACK nor RST is dropped (RFC 9293 section 3.10.7.2).
            return;
        }
        sendResetFor(key, segment);
    }

    private static boolean unicast(int address) {
        int first = address >>> 24;
        return address != 0 && address != -1 && (first < 224 || first > 239);
    }

    private void onListenerSyn(TcpListener listener, FourTuple key, TcpRepr syn, long nowNanos) {
        if (connections.size() >= maxConnections) {
            counters.increment(TcpCounter.CONNECTION_LIMIT_DROPS);
            return;
        }
        if (listener.halfOpen.size() >= listener.synBacklog()) {
            // Bounded SYN backlog: drop the oldest half-open connection silently (its peer may
            // well be spoofed) so the newest SYN gets a chance.
            counters.increment(TcpCounter.SYN_BACKLOG_OVERFLOWS);
            Entry old = connections.remove(listener.halfOpen.poll());
            if (old != null) {
                release(old);
            }
        }
        Entry entry = new Entry(key, listener);
        connections.put(key, entry);
        entry.connection = TcpConnection.accept(config, listener.buffers(), outputFor(key), challengeAcks,
                initialSequenceNumber(key, nowNanos), mssFor(new Ipv4Address(key.remoteAddress())), syn, nowNanos);
        listener.halfOpen.add(key);
        settle(entry);
    }

    /** RFC 9293 section 3.10.7.1: the reset for a segment that belongs to no connection. */
    private void sendResetFor(FourTuple key, TcpRepr segment) {
        int flags = segment.flags();
        if ((flags & RST) != 0) {
            return;
        }
        TcpRepr reset;
        if ((flags & ACK) == 0) {
            // <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>
            reset = new TcpRepr(key.localPort(), key.remotePort(), 0,
                    segment.sequenceNumber() + segment.segmentLength(), RST | ACK, 0, 0, TcpOptions.NONE, 0);
        } else {
            // <SEQ=SEG.ACK><CTL=RST>
            reset = new TcpRepr(key.localPort(), key.remotePort(), segment.acknowledgementNumber(), 0, RST, 0, 0,
                    TcpOptions.NONE, 0);
        }
        counters.increment(TcpCounter.RESETS_SENT);
        send(new Ipv4Address(key.localAddress()), new Ipv4Address(key.remoteAddress()), reset, EMPTY);
    }

    private TcpOutput outputFor(FourTuple key) {
        Ipv4Address local = new Ipv4Address(key.localAddress());
        Ipv4Address remote = new Ipv4Address(key.remoteAddress());
        return (header, payload) -> send(local, remote, header, payload);
    }

    private void send(Ipv4Address source, Ipv4Address destination, TcpRepr header, MemorySegment payload) {
        counters.increment(TcpCounter.SEGMENTS_SENT);
        writer.header = header;
        writer.data = payload;
        writer.source = source;
        writer.destination = destination;
        boolean sent = ip.send(source, destination, IpProtocol.TCP, header.bufferLength(), writer);
        writer.header = null;
        writer.data = null;
        if (!sent) {
            counters.increment(TcpCounter.OUTPUT_DROPS);
        }
    }

    private int mssFor(Ipv4Address remote) {
        int max = ip.maxPayload(remote) - 20;
        return max >= 64 ? max : TcpConnection.DEFAULT_SEND_MSS;
    }

    /**
     * RFC 6528: ISN = M + F(local, remote, secret), M a 4-microsecond clock. F here is a 64-bit
     * mixing function keyed by a random secret, not a cryptographic PRF (see README).
     */
    private int initialSequenceNumber(FourTuple key, long nowNanos) {
        long h = isnSecret;
        h = mix(h ^ key.localAddress());
        h = mix(h ^ ((long) key.localPort() << 16 | key.remotePort()));
        h = mix(h ^ key.remoteAddress());
        return (int) h + (int) (nowNanos / 4000);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    // ------------------------------------------------------------------ bookkeeping

    /** After a connection ran: completes passive opens into the accept queue, removes closed ones. */
    private boolean settle(Entry entry) {
        TcpConnection c = entry.connection;
        TcpState state = c.state();
        if (state == TcpState.CLOSED) {
            remove(entry);
            return true;
        }
        if (!entry.established && state != TcpState.SYN_SENT && state != TcpState.SYN_RECEIVED) {
            entry.established = true;
            TcpListener listener = entry.listener;
            if (listener != null) {
                listener.halfOpen.remove(entry.key);
                entry.listener = null;
                long need = (long) c.sendBufferCapacity() + c.receiveBufferCapacity();
                if (listener.closed() || listener.acceptQueue.size() >= listener.acceptBacklog()) {
                    counters.increment(TcpCounter.ACCEPT_QUEUE_OVERFLOWS);
                    c.abort();
                    remove(entry);
                    return true;
                }
                if (committedBufferBytes + need > maxBufferBytes) {
                    counters.increment(TcpCounter.CONNECTION_LIMIT_DROPS);
                    c.abort();
                    remove(entry);
                    return true;
                }
                entry.committedBytes = need;
                committedBufferBytes += need;
                listener.acceptQueue.add(c);
            }
            counters.increment(TcpCounter.CONNECTIONS_ESTABLISHED);
        }
        return false;
    }

    private void remove(Entry entry) {
        if (connections.remove(entry.key, entry)) {
            release(entry);
        }
    }

    private void release(Entry entry) {
        if (entry.listener != null) {
            entry.listener.halfOpen.remove(entry.key);
            entry.listener = null;
        }
        committedBufferBytes -= entry.committedBytes;
        entry.committedBytes = 0;
        counters.increment(TcpCounter.CONNECTIONS_CLOSED);
        closedConnectionCounters.addAll(entry.connection.counters());
    }

    private void sweepClosed() {
        connections.values().removeIf(e -> {
            if (e.connection.state() == TcpState.CLOSED) {
                release(e);
                return true;
            }
            return false;
        });
    }

    /** Runs every connection whose deadline has come (and those with output pending). */
    public void poll(long nowNanos) {
        List<Entry> due = null;
        for (Entry e : connections.values()) {
            if (e.connection.nextDeadlineNanos() <= nowNanos) {
                if (due == null) {
                    due = new ArrayList<>();
                }
                due.add(e);
            }
        }
        if (due == null) {
            return;
        }
        for (Entry e : due) {
            e.connection.poll(nowNanos);
            settle(e);
        }
    }

    /** The earliest deadline of any connection ({@link Long#MIN_VALUE}: poll now; {@link TcpConnection#NO_DEADLINE}: none). */
    public long nextDeadlineNanos() {
        long d = TcpConnection.NO_DEADLINE;
        for (Entry e : connections.values()) {
            d = Math.min(d, e.connection.nextDeadlineNanos());
        }
        return d;
    }

    /**
     * Resizes an established connection's buffers (SO_SNDBUF, SO_RCVBUF set after connect) within
     * the layer's buffer memory: a size that would exceed it is lowered to what is left (never
     * below the current size).
     *
     * @return the sizes in effect
     */
    public BufferSizes resizeBuffers(TcpConnection connection, BufferSizes wanted) {
        Entry entry = null;
        for (Entry e : connections.values()) {
            if (e.connection == connection) {
                entry = e;
                break;
            }
        }
        if (entry == null || entry.committedBytes == 0) {
            // Not yet committed (handshake) or gone: sizes take effect without accounting until
            // the handshake commits them.
            connection.resizeSendBuffer(wanted.sendBytes());
            connection.resizeReceiveBuffer(wanted.receiveBytes());
            return new BufferSizes(connection.sendBufferCapacity(), connection.receiveBufferCapacity());
        }
        long left = maxBufferBytes - committedBufferBytes;
        int send = grantWithin(connection.sendBufferCapacity(), wanted.sendBytes(), left);
        left -= Math.max(0, send - connection.sendBufferCapacity());
        int receive = grantWithin(connection.receiveBufferCapacity(), wanted.receiveBytes(), left);
        connection.resizeSendBuffer(send);
        connection.resizeReceiveBuffer(receive);
        long now = (long) connection.sendBufferCapacity() + connection.receiveBufferCapacity();
        committedBufferBytes += now - entry.committedBytes;
        entry.committedBytes = now;
        return new BufferSizes(connection.sendBufferCapacity(), connection.receiveBufferCapacity());
    }

    private static int grantWithin(int current, int wanted, long left) {
        return wanted <= current ? wanted : (int) Math.min(wanted, current + Math.max(0, left));
    }

    /** The settings every connection starts from. */
    public TcpConfig config() {
        return config;
    }

    /** Connections in the table (every state but CLOSED). */
    public int connectionCount() {
        return connections.size();
    }

    /** Buffer capacity committed to established connections. */
    public long committedBufferBytes() {
        return committedBufferBytes;
    }

    /** Layer counters (segments, drops, resets, connections). */
    public TcpCounters counters() {
        return counters;
    }

    /** The sum of the counters of every connection, closed or open. */
    public TcpCounters connectionCounters() {
        TcpCounters sum = new TcpCounters();
        sum.addAll(closedConnectionCounters);
        for (Entry e : connections.values()) {
            sum.addAll(e.connection.counters());
        }
        return sum;
    }

    /** The connection for {@code key}, or null. */
    public TcpConnection connection(FourTuple key) {
        Entry e = connections.get(key);
        return e == null ? null : e.connection;
    }

    /** The four-tuple of {@code connection}, or null when it is not in the table (O(connections)). */
    public FourTuple keyOf(TcpConnection connection) {
        for (Entry e : connections.values()) {
            if (e.connection == connection) {
                return e.key;
            }
        }
        return null;
    }

    /** Tells {@code action} of every connection in the table with its key (for /proc). */
    public void forEachConnection(java.util.function.BiConsumer<FourTuple, TcpConnection> action) {
        for (Entry e : connections.values()) {
            action.accept(e.key, e.connection);
        }
    }

        /** An iterator-free snapshot of the open connections. */
    public List<TcpConnection> connections() {
        List<TcpConnection> list = new ArrayList<>(connections.size());
        for (Iterator<Entry> it = connections.values().iterator(); it.hasNext(); ) {
            list.add(it.next().connection);
        }
        return list;
    }
}
