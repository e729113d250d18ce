package dev.libos.net.tcp;

import static dev.libos.net.wire.TcpFlags.ACK;
import static dev.libos.net.wire.TcpFlags.RST;
import static dev.libos.net.wire.TcpFlags.SYN;

import dev.libos.net.ip.IpProtocolHandler;
import dev.libos.net.ip.Ipv4Output;
import dev.libos.net.wire.IpProtocol;
import dev.libos.net.wire.Ipv4Address;
import dev.libos.net.wire.FrameSummary;
import dev.libos.net.wire.TcpOptions;
import dev.libos.net.wire.MutableTcpHeader;
import dev.libos.net.wire.TcpHeader;
import dev.libos.net.wire.TcpRepr;
import dev.libos.net.wire.TcpSegment;
import dev.libos.net.wire.TcpTimestamps;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import org.agrona.collections.Int2ObjectHashMap;

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
    /**
     * How long a TIME-WAIT four-tuple is kept before {@link #connect} may reuse it when no
     * other ephemeral port is free (Linux's tcp_tw_reuse waits one second too).
     */
    static final long TIME_WAIT_REUSE_NANOS = 1_000_000_000L;

    private final Ipv4Output ip;
    private final TcpConfig config;
    private final int maxConnections;
    private final long maxBufferBytes;
    private final long isnSecret;
    private final ChallengeAckLimiter challengeAcks;
    private final Map<FourTuple, Entry> connections = new HashMap<>();
    /** By local port: looked up per SYN and per ephemeral-port candidate, keyed by the int (Agrona). */
    private final Int2ObjectHashMap<TcpListener> listeners = new Int2ObjectHashMap<>();
    /** The TIME-WAIT entries of {@link #connections}, oldest first. */
    private final LinkedHashMap<FourTuple, Entry> timeWait = new LinkedHashMap<>();
    /** TIME-WAIT entries whose receive buffer still holds unread data (and so their reservation). */
    private final List<Entry> timeWaitWithUnreadData = new ArrayList<>();
    private final SynCookies cookies;
    private final TcpCounters counters = new TcpCounters();
    private final TcpCounters closedConnectionCounters = new TcpCounters();
    private final TcpSegment view = new TcpSegment();
    private final SegmentWriter writer = new SegmentWriter();
    /** The RST for a segment of no connection, filled again for each (sent before the call returns). */
    private final MutableTcpHeader resetHeader = new MutableTcpHeader();
    /** The connections {@link #poll} runs, collected first (running one may remove entries); empty between polls. */
    private final ArrayList<Entry> due = new ArrayList<>();
    /** {@link #poll}'s time, for {@link #collectDue}. */
    private long pollNanos;
    private final BiConsumer<FourTuple, Entry> collectDue = this::collectIfDue;
    private final Predicate<Entry> releaseInTimeWait = this::releaseReservationInTimeWait;
    private FourTuple lastKey;
    private int nextEphemeral;
    private long committedBufferBytes;

    private static final class Entry {
        final FourTuple key;
        TcpConnection connection;
        TcpListener listener;
        boolean established;
        long committedBytes;
        long timeWaitSinceNanos;

        Entry(FourTuple key, TcpListener listener) {
            this.key = key;
            this.listener = listener;
        }
    }

    /** Writes a segment into the frame the IP layer offers: data first, then header and checksum. */
    private final class SegmentWriter implements Ipv4Output.PayloadWriter {
        TcpHeader header;
        MemorySegment data;
        long dataOffset;
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
                MemorySegment.copy(data, dataOffset, payload, headerLength, header.payloadLength());
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
     * @param maxConnections connections in the table at most, TIME-WAIT aside; as many TIME-WAIT
     *     four-tuples are kept besides (beyond that the oldest is dropped)
     * @param maxBufferBytes send plus receive buffer capacity of established connections at most
     *     (a connection in TIME-WAIT holds none)
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
        this.cookies = new SynCookies(random.nextLong());
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
        if (liveConnections() >= maxConnections || committedBufferBytes + need > maxBufferBytes) {
            counters.increment(TcpCounter.CONNECTION_LIMIT_DROPS);
            return null;
        }
        FourTuple key = freeFourTuple(local, remote, remotePort, nowNanos);
        if (key == null) {
            return null;
        }
        Entry entry = new Entry(key, null);
        entry.committedBytes = need;
        committedBufferBytes += need;
        connections.put(key, entry);
        entry.connection = TcpConnection.connect(config, buffers, outputFor(key), challengeAcks, key.localPort(), remotePort,
                initialSequenceNumber(key, nowNanos), mssFor(remote), nowNanos);
        settle(entry, nowNanos);
        return entry.connection;
    }

    /**
     * A four-tuple for a new connection: a free ephemeral port if there is one, else the oldest
     * TIME-WAIT four-tuple to the same peer port that has waited {@link #TIME_WAIT_REUSE_NANOS}
     * (as Linux's tcp_tw_reuse). Reuse is safe from old duplicates because the new connection's
     * RFC 6528 ISN, driven by a 4-microsecond clock, lies beyond the old one's sequence space,
     * and the peer (the passive closer) holds no state for the tuple any more. Null when none.
     */
    private FourTuple freeFourTuple(Ipv4Address local, Ipv4Address remote, int remotePort, long nowNanos) {
        int span = EPHEMERAL_LAST - EPHEMERAL_FIRST + 1;
        for (int i = 0; i < span; i++) {
            int port = EPHEMERAL_FIRST + Math.floorMod(nextEphemeral - EPHEMERAL_FIRST + i, span);
            FourTuple candidate = new FourTuple(local.value(), port, remote.value(), remotePort);
            if (!connections.containsKey(candidate) && !listeners.containsKey(port)) {
                nextEphemeral = port + 1;
                return candidate;
            }
        }
        for (Entry e : timeWait.values()) {
            if (nowNanos - e.timeWaitSinceNanos < TIME_WAIT_REUSE_NANOS) {
                break; // oldest first: the rest are younger
            }
            FourTuple k = e.key;
            if (k.localAddress() == local.value() && k.remoteAddress() == remote.value() && k.remotePort() == remotePort) {
                counters.increment(TcpCounter.TIME_WAIT_REUSED);
                remove(e);
                return k;
            }
        }
        return null;
    }

    /** Connections that count against the connection limit: every one in the table but TIME-WAIT. */
    private int liveConnections() {
        return connections.size() - timeWait.size();
    }

    // ------------------------------------------------------------------ IP side

    /**
     * A segment the IP layer parsed and checked (checksum included): nothing is parsed or
     * verified again here.
     */
    @Override
    public void onDatagram(FrameSummary.Datagram datagram, MemorySegment packet, long nowNanos) {
        counters.increment(TcpCounter.SEGMENTS_RECEIVED);
        if (!(datagram instanceof FrameSummary.Tcp tcp)) {
            counters.increment(TcpCounter.MALFORMED_SEGMENTS);
            return;
        }
        TcpHeader segment = tcp.tcp(); // the parser's: valid during this call
        int source = tcp.ipv4().source().value();
        int destination = tcp.ipv4().destination().value();
        // RFC 9293 section 3.9.1 / RFC 1122 4.2.3.10: segments from or to broadcast and multicast
        // addresses, and port 0, are not TCP's.
        if (!unicast(source) || !unicast(destination) || segment.sourcePort() == 0 || segment.destinationPort() == 0) {
            counters.increment(TcpCounter.MALFORMED_SEGMENTS);
            return;
        }
        FourTuple key = keyFor(destination, segment.destinationPort(), source, segment.sourcePort());
        Entry entry = connections.get(key);
        TcpListener listener = listeners.get(segment.destinationPort());
        if (entry != null && listener != null && entry.connection.acceptsNewIncarnation(segment)) {
            // RFC 6191: a new SYN for a four-tuple in TIME-WAIT opens a new connection.
            counters.increment(TcpCounter.TIME_WAIT_REUSED);
            remove(entry);
            entry = null;
        }
        if (entry != null) {
            entry.connection.onSegment(segment, packet, tcp.payloadOffset(), nowNanos);
            settle(entry, nowNanos);
            return;
        }
        int flags = segment.flags();
        if (listener != null && (flags & (SYN | ACK | RST)) == SYN) {
            onListenerSyn(listener, key, segment, nowNanos);
            return;
        }
        if (listener != null && (flags & (SYN | ACK | RST)) == ACK && listener.sentCookiesSince(nowNanos - 2 * SynCookies.SLOT_NANOS)) {
            onCookieAck(listener, key, segment, packet, tcp.payloadOffset(), nowNanos);
            return;
        }
        counters.increment(TcpCounter.NO_CONNECTION_SEGMENTS);
        if (listener != null && (flags & (ACK | RST)) == 0) {
            // LISTEN: a segment with neither SYN, ACK nor RST is dropped (RFC 9293 section 3.10.7.2).
            return;
        }
        sendResetFor(key, segment);
    }

    /** The four-tuple, the instance made for the last segment when it is the same (a flow's segments share it). */
    private FourTuple keyFor(int localAddress, int localPort, int remoteAddress, int remotePort) {
        FourTuple last = lastKey;
        if (last == null || last.localAddress() != localAddress || last.localPort() != localPort
                || last.remoteAddress() != remoteAddress || last.remotePort() != remotePort) {
            lastKey = last = new FourTuple(localAddress, localPort, remoteAddress, remotePort);
        }
        return last;
    }

    private static boolean unicast(int address) {
        int first = address >>> 24;
        return address != 0 && address != -1 && (first < 224 || first > 239);
    }

    private void onListenerSyn(TcpListener listener, FourTuple key, TcpHeader syn, long nowNanos) {
        if (liveConnections() >= maxConnections) {
            // Refuse at once rather than leave the peer retrying its SYN for a minute.
            counters.increment(TcpCounter.CONNECTION_LIMIT_DROPS);
            sendResetFor(key, syn);
            return;
        }
        if (listener.halfOpen.size() >= listener.synBacklog()) {
            // Bounded SYN backlog: answer with a SYN cookie and keep no state (RFC 4987 section 3.6).
            counters.increment(TcpCounter.SYN_BACKLOG_OVERFLOWS);
            sendCookieSynAck(listener, key, syn, nowNanos);
            return;
        }
        Entry entry = new Entry(key, listener);
        connections.put(key, entry);
        entry.connection = TcpConnection.accept(config, listener.buffers(), outputFor(key), challengeAcks,
                initialSequenceNumber(key, nowNanos), mssFor(new Ipv4Address(key.remoteAddress())), syn, nowNanos);
        listener.halfOpen.add(key);
        settle(entry, nowNanos);
    }

    /** The SYN-ACK of a SYN cookie: as a connection in SYN-RECEIVED would send it, with the cookie as ISS. */
    private void sendCookieSynAck(TcpListener listener, FourTuple key, TcpHeader syn, long nowNanos) {
        TcpOptions offered = syn.options();
        int cookie = cookies.encode(key, syn.sequenceNumber(), offered.maxSegmentSize(), nowNanos);
        int receiveMss = Math.min(mssFor(new Ipv4Address(key.remoteAddress())), config.maxSegmentSize());
        TcpTimestamps timestamps = null;
        if (config.timestamps() && offered.timestamps() != null) {
            int bits = SynCookies.tsvalOptionBits(offered, config.windowScaling(), config.sack());
            int tsval = ((int) (nowNanos / 1_000_000L) + cookie) & ~SynCookies.TSVAL_OPTION_MASK | bits;
            timestamps = new TcpTimestamps(tsval, offered.timestamps().value());
        }
        // Window scale and SACK only travel in the TSval bits: without timestamps a cookie
        // connection offers neither (as Linux clears the options then).
        boolean scaling = timestamps != null && config.windowScaling() && offered.windowScale() != TcpOptions.ABSENT;
        boolean sack = timestamps != null && config.sack() && offered.sackPermitted();
        int receiveBytes = listener.buffers().receiveBytes();
        int shift = TcpConnection.shiftFor(receiveBytes);
        TcpOptions options = new TcpOptions(receiveMss, scaling ? shift : TcpOptions.ABSENT, sack, List.of(),
                timestamps);
        // RFC 7323 section 2.2: the window of a SYN is never scaled.
        int window = Math.min(0xFFFF, receiveBytes);
        TcpRepr synAck = new TcpRepr(key.localPort(), key.remotePort(), cookie, syn.sequenceNumber() + 1, SYN | ACK,
                window, 0, options, 0);
        listener.cookieSentNanos = nowNanos;
        counters.increment(TcpCounter.SYN_COOKIES_SENT);
        send(new Ipv4Address(key.localAddress()), new Ipv4Address(key.remoteAddress()), synAck, EMPTY, 0);
    }

    /**
     * An ACK for no connection at a listener that sent cookies lately: if it acknowledges a valid
     * cookie, the connection is rebuilt (as if its SYN had just been accepted, its SYN-ACK kept
     * quiet) and the ACK completes the handshake; a forged or stale cookie makes no connection,
     * is counted, and gets the RST any segment for no connection gets.
     */
    private void onCookieAck(TcpListener listener, FourTuple key, TcpHeader ack, MemorySegment packet, long dataOffset,
                             long nowNanos) {
        int peerIsn = ack.sequenceNumber() - 1;
        int mss = cookies.check(key, peerIsn, ack.acknowledgementNumber() - 1, nowNanos);
        if (mss < 0) {
            // No connection is made. The ACK is answered like any segment for no connection
            // (RFC 9293 section 3.10.7.1, as Linux's listener does): most such ACKs are late
            // segments of connections already gone, whose peer must learn of it, not forgeries.
            counters.increment(TcpCounter.SYN_COOKIES_REJECTED);
            counters.increment(TcpCounter.NO_CONNECTION_SEGMENTS);
            sendResetFor(key, ack);
            return;
        }
        if (liveConnections() >= maxConnections) {
            counters.increment(TcpCounter.CONNECTION_LIMIT_DROPS);
            sendResetFor(key, ack);
            return;
        }
        TcpTimestamps ts = ack.options().timestamps();
        TcpRepr syn = new TcpRepr(ack.sourcePort(), ack.destinationPort(), peerIsn, 0, SYN, ack.window(), 0,
                SynCookies.synOptions(mss, ts), 0);
        Entry entry = new Entry(key, listener);
        QuietUntilBuilt output = new QuietUntilBuilt(outputFor(key));
        entry.connection = TcpConnection.accept(config, listener.buffers(), output, challengeAcks, ack.acknowledgementNumber() - 1,
                mssFor(new Ipv4Address(key.remoteAddress())), syn, nowNanos);
        output.quiet = false;
        if (ts != null && syn.options().timestamps() != null) {
            entry.connection.continueTimestampsAfter(ts.echoReply(), nowNanos);
        }
        connections.put(key, entry);
        counters.increment(TcpCounter.SYN_COOKIES_ACCEPTED);
        entry.connection.onSegment(ack, packet, dataOffset, nowNanos);
        settle(entry, nowNanos);
    }

    /** Drops the SYN-ACK a connection sends when built: the cookie SYN-ACK already went. */
    private static final class QuietUntilBuilt implements TcpOutput {
        private final TcpOutput target;
        boolean quiet = true;

        QuietUntilBuilt(TcpOutput target) {
            this.target = target;
        }

        @Override
        public void transmit(TcpHeader header, MemorySegment data, long dataOffset) {
            if (!quiet) {
                target.transmit(header, data, dataOffset);
            }
        }
    }

    /** RFC 9293 section 3.10.7.1: the reset for a segment that belongs to no connection. */
    private void sendResetFor(FourTuple key, TcpHeader segment) {
        int flags = segment.flags();
        if ((flags & RST) != 0) {
            return;
        }
        MutableTcpHeader reset = resetHeader;
        if ((flags & ACK) == 0) {
            // <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>
            reset.set(key.localPort(), key.remotePort(), 0,
                    segment.sequenceNumber() + segment.segmentLength(), RST | ACK, 0, 0, TcpOptions.NONE, 0);
        } else {
            // <SEQ=SEG.ACK><CTL=RST>
            reset.set(key.localPort(), key.remotePort(), segment.acknowledgementNumber(), 0, RST, 0, 0,
                    TcpOptions.NONE, 0);
        }
        counters.increment(TcpCounter.RESETS_SENT);
        send(new Ipv4Address(key.localAddress()), new Ipv4Address(key.remoteAddress()), reset, EMPTY, 0);
    }

    private TcpOutput outputFor(FourTuple key) {
        Ipv4Address local = new Ipv4Address(key.localAddress());
        Ipv4Address remote = new Ipv4Address(key.remoteAddress());
        return (header, data, dataOffset) -> send(local, remote, header, data, dataOffset);
    }

    private void send(Ipv4Address source, Ipv4Address destination, TcpHeader header, MemorySegment data, long dataOffset) {
        counters.increment(TcpCounter.SEGMENTS_SENT);
        writer.header = header;
        writer.data = data;
        writer.dataOffset = dataOffset;
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

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    // ------------------------------------------------------------------ bookkeeping

    /** After a connection ran: completes passive opens into the accept queue, removes closed ones. */
    private boolean settle(Entry entry, long nowNanos) {
        TcpConnection c = entry.connection;
        TcpState state = c.state();
        if (state == TcpState.CLOSED) {
            remove(entry);
            return true;
        }
        if (state == TcpState.TIME_WAIT) {
            enterTimeWait(entry, nowNanos);
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

    /**
     * A connection in TIME-WAIT leaves the connection limit for the TIME-WAIT table, and its
     * buffer reservation goes as soon as its buffers do (RFC 9293 section 3.6.1: only the
     * four-tuple and sequence numbers need remembering). The table is bounded like Linux's
     * tcp_max_tw_buckets: beyond {@code maxConnections} entries the oldest is forgotten.
     */
    private void enterTimeWait(Entry entry, long nowNanos) {
        if (!timeWait.containsKey(entry.key)) {
            entry.timeWaitSinceNanos = nowNanos;
            timeWait.put(entry.key, entry);
            if (!releaseReservationInTimeWait(entry)) {
                timeWaitWithUnreadData.add(entry);
            }
            if (timeWait.size() > maxConnections) {
                counters.increment(TcpCounter.TIME_WAIT_OVERFLOWS);
                remove(timeWait.values().iterator().next());
            }
        }
    }

    /** Gives back the reservation of a TIME-WAIT entry once its buffers are gone; true when none is left. */
    private boolean releaseReservationInTimeWait(Entry entry) {
        if (entry.committedBytes > 0 && !entry.connection.holdsBuffers()) {
            committedBufferBytes -= entry.committedBytes;
            entry.committedBytes = 0;
        }
        return entry.committedBytes == 0;
    }

    private void remove(Entry entry) {
        if (connections.remove(entry.key, entry)) {
            release(entry);
        }
    }

    private void release(Entry entry) {
        if (timeWait.remove(entry.key, entry)) {
            timeWaitWithUnreadData.remove(entry);
        }
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

    private void collectIfDue(FourTuple key, Entry e) {
        // A connection the application aborted is CLOSED without a deadline: remove it now.
        if (e.connection.nextDeadlineNanos() <= pollNanos || e.connection.state() == TcpState.CLOSED) {
            due.add(e);
        }
    }

    /** Runs every connection whose deadline has come (and those with output pending), and removes closed ones. */
    public void poll(long nowNanos) {
        // The application may have read the last bytes since: then the receive buffer is gone.
        if (!timeWaitWithUnreadData.isEmpty()) {
            timeWaitWithUnreadData.removeIf(releaseInTimeWait);
        }
        // forEach walks the table without an iterator, and the consumer is made once: a poll
        // allocates nothing even where the JIT's escape analysis does not run (C1, interpreter).
        pollNanos = nowNanos;
        connections.forEach(collectDue);
        // Indexed, and the list kept: a poll with due connections (every one after a send) allocates nothing.
        for (int i = 0; i < due.size(); i++) {
            Entry e = due.get(i);
            e.connection.poll(nowNanos);
            settle(e, nowNanos);
        }
        due.clear();
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

    /** Connections in the table (every state but CLOSED, TIME-WAIT included). */
    public int connectionCount() {
        return connections.size();
    }

    /** Four-tuples in TIME-WAIT (part of {@link #connectionCount()}). */
    public int timeWaitCount() {
        return timeWait.size();
    }

    /** Buffer capacity committed to established connections (none for TIME-WAIT). */
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
