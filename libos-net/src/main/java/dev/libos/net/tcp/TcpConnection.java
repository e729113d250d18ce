package dev.libos.net.tcp;

import static dev.libos.net.wire.TcpFlags.ACK;
import static dev.libos.net.wire.TcpFlags.FIN;
import static dev.libos.net.wire.TcpFlags.RST;
import static dev.libos.net.wire.TcpFlags.SYN;

import dev.libos.net.wire.MutableTcpHeader;
import dev.libos.net.wire.SackBlock;
import dev.libos.net.wire.TcpHeader;
import dev.libos.net.wire.TcpOptions;
import dev.libos.net.wire.TcpTimestamps;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One TCP connection: the state machine of RFC 9293 with its send and receive buffers, timers
 * and congestion control, as pure single-threaded protocol code. Time is a parameter: segments
 * arrive through {@link #onSegment}, timers fire in {@link #poll}, and {@link #nextDeadlineNanos()}
 * says when to poll next. Segments leave through a {@link TcpOutput}.
 *
 * <p>Implemented: RFC 9293 (states, simultaneous open and close, acceptability test, reset
 * generation in the states a connection object is in), RFC 5961 (RST and SYN challenge ACKs,
 * ACK range check, rate limit), RFC 7323 (window scaling, timestamps for PAWS), RFC 2018 (SACK
 * generation and a scoreboard used when retransmitting), RFC 6298 (RTO), RFC 5681 and RFC 6582
 * (fast retransmit, NewReno recovery), RFC 9438 or RFC 5681 window growth through
 * {@link CongestionControl}, delayed ACK, Nagle, keepalive and zero-window probes.
 */
public final class TcpConnection {
    /** Returned by {@link #send} and {@link #receive} when the direction is closed (end of stream). */
    public static final int END_OF_STREAM = -1;
    /** A timer that is not running. */
    public static final long NO_DEADLINE = Long.MAX_VALUE;
    /** Default MSS when the peer sends no MSS option (RFC 9293 section 3.7.1). */
    static final int DEFAULT_SEND_MSS = 536;
    /** Maximum window shift (RFC 7323 section 2.3). */
    static final int MAX_WINDOW_SHIFT = 14;
    /** Duplicate ACKs that trigger fast retransmit (RFC 5681 section 3.2: DupThresh = 3). */
    static final int DUPLICATE_ACK_THRESHOLD = 3;
    /** RFC 7323 section 5.5: TS.Recent older than 24 days is invalid. */
    private static final long PAWS_IDLE_NANOS = 24L * 24 * 3600 * 1_000_000_000L;
    private static final MemorySegment EMPTY = MemorySegment.ofArray(new byte[0]);

    private final TcpConfig config;
    private boolean noDelay;
    private boolean quickAck;
    private final KeepAlive keepAlive;
    private final TcpOutput output;
    private final ChallengeAckLimiter challengeAcks;
    private final TcpCounters counters = new TcpCounters();
    private final int localPort;
    private final int remotePort;
    private final int receiveMss;
    private int tsOffset;
    private final SendBuffer sendBuffer;
    private final ReceiveBuffer receiveBuffer;
    private final SackScoreboard scoreboard = new SackScoreboard();
    private final RttEstimator rtt;
    private final CongestionControl congestion;
    private final boolean activeOpen;

    private TcpState state;
    private TcpCloseReason closeReason = TcpCloseReason.NONE;

    // Send sequence space (RFC 9293 section 3.3.1); sndMax is the highest sequence number sent.
    private final int iss;
    private int sndUna;
    private int sndNxt;
    private int sndMax;
    private int sndWl1;
    private int sndWl2;
    private long sndWnd;
    private long maxSndWnd;
    private int sendBase;
    private int sendMss = DEFAULT_SEND_MSS;
    private int sndShift;
    private int rcvShift;

    // Receive sequence space.
    private int irs;
    private int rcvNxt;

    // Negotiated options.
    private boolean timestampsOn;
    private boolean sackOn;
    private boolean windowScaleOn;
    private int tsRecent;
    private long tsRecentNanos;
    private boolean tsRecentValid;
    private int lastAckSent;

    // Closing.
    private boolean finQueued;
    private boolean peerFinPending;
    private int peerFinSeq;
    private boolean peerFinReceived;
    private boolean applicationClosed;

    // Timers (retransmission, delayed ACK, persist, TIME-WAIT; keep-alive in keepAlive) and RTT timing.
    private final TcpTimers timers = new TcpTimers();
    private boolean rttTiming;
    private int rttSeq;
    private long rttStartNanos;

    // Loss recovery (RFC 5681 section 3.2, RFC 6582).
    private int duplicateAcks;
    private boolean inRecovery;
    private int recover;
    private int retransmitNext;

    // Acknowledgement state.
    private boolean ackNow;
    private int unackedReceivedBytes;
    private long lastAdvertisedWindow;
    private boolean outputPending;
    private MemorySegment scratch = EMPTY;
    /** The header of each segment sent, filled again per segment: the output may use it only during its call. */
    private final MutableTcpHeader sendHeader = new MutableTcpHeader();

    private TcpConnection(TcpConfig config, BufferSizes buffers, TcpOutput output, ChallengeAckLimiter challengeAcks,
                          int localPort, int remotePort, int iss, int localMss, boolean activeOpen) {
        if (localMss < 64) {
            throw new IllegalArgumentException("localMss must be >= 64: " + localMss);
        }
        this.config = config;
        this.noDelay = config.noDelay();
        this.keepAlive = new KeepAlive(config);
        this.output = output;
        this.challengeAcks = challengeAcks;
        this.localPort = requirePort("localPort", localPort);
        this.remotePort = requirePort("remotePort", remotePort);
        this.iss = iss;
        this.receiveMss = Math.min(localMss, config.maxSegmentSize());
        this.tsOffset = iss * 0x9E3779B1;
        this.sendBuffer = new SendBuffer(buffers.sendBytes());
        this.receiveBuffer = new ReceiveBuffer(buffers.receiveBytes(), config.maxOutOfOrderRanges());
        this.rtt = new RttEstimator(config.initialRtoNanos(), config.minRtoNanos(), config.maxRtoNanos());
        this.congestion = config.newCongestionControl();
        this.activeOpen = activeOpen;
        this.sndUna = iss;
        this.sndNxt = iss;
        this.sndMax = iss;
        this.sendBase = iss + 1;
        this.recover = iss;
        // The window scale is fixed by the SYN (RFC 7323 section 2.2): from the buffer asked for then.
        this.rcvShift = config.windowScaling() ? shiftFor(buffers.receiveBytes()) : 0;
    }

    private static int requirePort(String name, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(name + " must be in [1, 65535]: " + port);
        }
        return port;
    }

    static int shiftFor(int bufferBytes) {
        int shift = 0;
        while (shift < MAX_WINDOW_SHIFT && (bufferBytes >> shift) > 0xFFFF) {
            shift++;
        }
        return shift;
    }

    /**
     * Active open (RFC 9293 section 3.10.1): sends the SYN at {@code nowNanos}.
     *
     * @param iss the initial send sequence number (RFC 6528: the layer derives it)
     * @param localMss the largest segment the route lets us receive (the MSS option)
     */
    public static TcpConnection connect(TcpConfig config, TcpOutput output, ChallengeAckLimiter challengeAcks,
                                        int localPort, int remotePort, int iss, int localMss, long nowNanos) {
        return connect(config, BufferSizes.of(config), output, challengeAcks, localPort, remotePort, iss, localMss,
                nowNanos);
    }

    /** Active open with buffers other than the configuration's (SO_SNDBUF, SO_RCVBUF set before connect). */
    public static TcpConnection connect(TcpConfig config, BufferSizes buffers, TcpOutput output,
                                        ChallengeAckLimiter challengeAcks, int localPort, int remotePort, int iss,
                                        int localMss, long nowNanos) {
        TcpConnection c = new TcpConnection(config, buffers, output, challengeAcks, localPort, remotePort, iss,
                localMss, true);
        c.state = TcpState.SYN_SENT;
        c.transmit(nowNanos);
        return c;
    }

    /**
     * Passive open: a listener received {@code syn} (a SYN without ACK or RST) and creates the
     * connection in SYN-RECEIVED, which sends the SYN-ACK (RFC 9293 section 3.10.7.2).
     */
    public static TcpConnection accept(TcpConfig config, TcpOutput output, ChallengeAckLimiter challengeAcks,
                                       int iss, int localMss, TcpHeader syn, long nowNanos) {
        return accept(config, BufferSizes.of(config), output, challengeAcks, iss, localMss, syn, nowNanos);
    }

    /** Passive open with buffers other than the configuration's (the listener's SO_RCVBUF). */
    public static TcpConnection accept(TcpConfig config, BufferSizes buffers, TcpOutput output,
                                       ChallengeAckLimiter challengeAcks, int iss, int localMss, TcpHeader syn,
                                       long nowNanos) {
        if ((syn.flags() & (SYN | ACK | RST)) != SYN) {
            throw new IllegalArgumentException("not a plain SYN: " + syn);
        }
        TcpConnection c = new TcpConnection(config, buffers, output, challengeAcks, syn.destinationPort(),
                syn.sourcePort(), iss, localMss, false);
        c.state = TcpState.SYN_RECEIVED;
        c.irs = syn.sequenceNumber();
        c.rcvNxt = c.irs + 1;
        c.applyPeerSynOptions(syn.options(), nowNanos);
        c.sndWnd = syn.window();
        c.maxSndWnd = c.sndWnd;
        c.sndWl1 = syn.sequenceNumber();
        c.sndWl2 = c.iss;
        c.transmit(nowNanos);
        return c;
    }

    private void applyPeerSynOptions(TcpOptions options, long nowNanos) {
        int peerMss = options.maxSegmentSize() == TcpOptions.ABSENT ? DEFAULT_SEND_MSS : options.maxSegmentSize();
        // RFC 9293 section 3.7.1: the effective send MSS is bounded by the peer's MSS and our route.
        sendMss = Math.max(64, Math.min(peerMss, receiveMss));
        // RFC 7323 section 2.2: scaling is on only when both SYNs carry the option.
        windowScaleOn = config.windowScaling() && options.windowScale() != TcpOptions.ABSENT;
        if (windowScaleOn) {
            // RFC 7323 section 2.3: a shift above 14 is used as 14.
            sndShift = Math.min(options.windowScale(), MAX_WINDOW_SHIFT);
        } else {
            sndShift = 0;
            rcvShift = 0;
        }
        // RFC 7323 section 3.2: timestamps are on only when both SYNs carry the option.
        timestampsOn = config.timestamps() && options.timestamps() != null;
        if (timestampsOn) {
            tsRecent = options.timestamps().value();
            tsRecentNanos = nowNanos;
            tsRecentValid = true;
        }
        // RFC 2018 section 2: SACK only when the peer sent SACK-permitted.
        sackOn = config.sack() && options.sackPermitted();
    }

    // ------------------------------------------------------------------ application interface

    /** Nagle's algorithm off (TCP_NODELAY) for this connection; starts from the configuration. */
    public void setNoDelay(boolean noDelay) {
        this.noDelay = noDelay;
    }

    public boolean noDelay() {
        return noDelay;
    }

    /**
     * TCP_QUICKACK: true acknowledges every received segment at once instead of delaying the ACK
     * (RFC 9293 section 3.8.6.3). Unlike Linux, which leaves quick-ACK mode on its own, it stays
     * until cleared.
     */
    public void setQuickAck(boolean on) {
        this.quickAck = on;
        if (on && unackedReceivedBytes > 0) {
            ackNow = true;
            outputPending = true;
        }
    }

    public boolean quickAck() {
        return quickAck;
    }

    /** The keep-alive settings and timer (SO_KEEPALIVE and the TCP_KEEP* options); changes apply at once. */
    public KeepAlive keepAlive() {
        return keepAlive;
    }

    /** SO_SNDBUF in effect: the send buffer's capacity. */
    public int sendBufferCapacity() {
        return sendBuffer.capacity();
    }

    /** SO_RCVBUF in effect: the receive buffer's capacity. */
    public int receiveBufferCapacity() {
        return receiveBuffer.capacity();
    }

    /**
     * Resizes the send buffer (SO_SNDBUF on a connection), never below the bytes it holds.
     *
     * @return the capacity now
     */
    public int resizeSendBuffer(int bytes) {
        sendBuffer.resize(Math.max(1, Math.max(bytes, sendBuffer.length())));
        return sendBuffer.capacity();
    }

    /**
     * Resizes the receive buffer (SO_RCVBUF on a connection). It never shrinks below what it
     * holds nor below the window already offered: RFC 9293 section 3.8.6 (a receiver should not
     * shrink the window). Beyond the window scale chosen at the SYN a larger buffer holds more
     * unread data, while the window stays at most 65535 << scale.
     *
     * @return the capacity now
     */
    public int resizeReceiveBuffer(int bytes) {
        long offered = state == TcpState.SYN_SENT
                ? receiveBuffer.capacity() // our SYN offered the whole buffer, before RCV.NXT is known
                : lastAdvertisedWindow - Integer.toUnsignedLong(rcvNxt - lastAckSent);
        long floor = Math.max(receiveBuffer.heldSpan(), receiveBuffer.available() + Math.max(0, offered));
        receiveBuffer.resize((int) Math.max(1, Math.max(bytes, floor)));
        announceWindowIfGrown();
        return receiveBuffer.capacity();
    }

    /**
     * Queues data for sending; it goes out at the next {@link #poll}.
     *
     * @return bytes accepted (0 when the send buffer is full), or {@link #END_OF_STREAM} when
     *     the connection can no longer send (output shut down, closed or reset)
     */
    public int send(MemorySegment data) {
        if (!canSend()) {
            return END_OF_STREAM;
        }
        int n = sendBuffer.write(data);
        if (n > 0) {
            outputPending = true;
        }
        return n;
    }

    /**
     * As {@link #send(MemorySegment)}, from {@code data}'s position, which is left where it was
     * (the caller advances it by the count): for sockets, without a segment view per call.
     */
    public int send(ByteBuffer data) {
        if (!canSend()) {
            return END_OF_STREAM;
        }
        int n = sendBuffer.write(data);
        if (n > 0) {
            outputPending = true;
        }
        return n;
    }

    /**
     * Zero-copy send: a view of free send-buffer space (at most {@code max} bytes) for the caller
     * to fill and then {@link #commitSend}; empty when the buffer is full, null when the
     * connection can no longer send.
     */
    public MemorySegment sendSpace(int max) {
        if (!canSend()) {
            return null;
        }
        return sendBuffer.writableView(max);
    }

    /** Queues {@code n} bytes written into the last {@link #sendSpace} view. */
    public void commitSend(int n) {
        sendBuffer.commit(n);
        if (n > 0) {
            outputPending = true;
        }
    }

    /**
     * Zero-copy receive: a view of received in-order bytes inside the receive buffer, valid until
     * the next call on this connection; empty when none is ready. {@link #consumeReceived} marks
     * what the caller used.
     */
    public MemorySegment receivedView() {
        return receiveBuffer.readableView();
    }

    /** Marks {@code n} bytes of the last {@link #receivedView} as read (window updates as {@link #receive}). */
    public void consumeReceived(int n) {
        receiveBuffer.consume(n);
        if (n > 0) {
            announceWindowIfGrown();
            releaseReceiveBufferInTimeWait();
        }
    }

    /** True when received data will come no more: the peer closed its side, or the connection ended. */
    public boolean receiveFinished() {
        return receiveBuffer.available() == 0
                && (peerFinReceived || (state == TcpState.CLOSED && closeReason != TcpCloseReason.NONE));
    }

    private boolean canSend() {
        boolean open = state == TcpState.SYN_SENT || state == TcpState.SYN_RECEIVED || state == TcpState.ESTABLISHED
                || state == TcpState.CLOSE_WAIT;
        return open && !finQueued;
    }

    private void announceWindowIfGrown() {
        // RFC 9293 section 3.8.6.2.2 (receiver SWS avoidance): announce a larger window only
        // when it grew by min(half the buffer, 2 MSS); the next poll sends the update.
        long grown = receiveBuffer.window() - lastAdvertisedWindow;
        if (state.synchronized_() && grown >= Math.min(receiveBuffer.capacity() / 2, 2L * receiveMss)) {
            ackNow = true;
            outputPending = true;
        }
    }

    /**
     * Copies received in-order data into {@code target}.
     *
     * @return bytes copied; 0 when none is ready yet; {@link #END_OF_STREAM} when the peer has
     *     closed its direction and everything was read, or the connection was reset
     */
    public int receive(MemorySegment target) {
        return afterReceive(receiveBuffer.read(target), target.byteSize());
    }

    /**
     * As {@link #receive(MemorySegment)}, into {@code target} from its position, which is left
     * where it was (the caller advances it by the count): for sockets, without a segment view
     * per call.
     */
    public int receive(ByteBuffer target) {
        return afterReceive(receiveBuffer.read(target), target.remaining());
    }

    private int afterReceive(int n, long room) {
        if (n > 0) {
            announceWindowIfGrown();
            releaseReceiveBufferInTimeWait();
            return n;
        }
        if (room == 0) {
            return 0;
        }
        if (peerFinReceived || (state == TcpState.CLOSED && closeReason != TcpCloseReason.NONE)) {
            return END_OF_STREAM;
        }
        return 0;
    }

    /** Bytes ready for {@link #receive}. */
    public int availableToRead() {
        return receiveBuffer.available();
    }

    /** Room in the send buffer. */
    public int sendBufferFree() {
        return sendBuffer.free();
    }

    /** Bytes accepted by {@link #send} and not yet acknowledged. */
    public int sendBufferQueued() {
        return sendBuffer.length();
    }

    /**
     * Half close (RFC 9293 section 3.10.4): no more data will be sent; a FIN follows the queued
     * data. Receiving continues.
     */
    public void shutdownOutput() {
        switch (state) {
            // Before the handshake completes the FIN waits for it (and for the queued data).
            case SYN_SENT, SYN_RECEIVED -> finQueued = true;
            case ESTABLISHED -> {
                finQueued = true;
                state = TcpState.FIN_WAIT_1;
            }
            case CLOSE_WAIT -> {
                finQueued = true;
                state = TcpState.LAST_ACK;
            }
            default -> {
                // Already closing or closed: nothing to do.
            }
        }
        outputPending = true;
    }

    /**
     * Full close: the application neither sends nor reads any more. With unread received data
     * the connection is reset (RFC 9293 section 3.10.4, RFC 2525 section 2.17: data would be
     * lost); otherwise it shuts down output and discards whatever else arrives.
     */
    public void close() {
        applicationClosed = true;
        if (state == TcpState.SYN_SENT) {
            // RFC 9293 section 3.10.4: CLOSE in SYN-SENT deletes the TCB.
            enterClosed(TcpCloseReason.ABORTED);
            return;
        }
        if (receiveBuffer.available() > 0 && state.synchronized_()) {
            abort();
            return;
        }
        shutdownOutput();
        releaseReceiveBufferInTimeWait();
    }

    /** Aborts with RST (RFC 9293 section 3.10.5): {@code <SEQ=SND.NXT><CTL=RST>} in synchronized states. */
    public void abort() {
        if (state.synchronized_()) {
            emit(Seq.max(sndNxt, sndMax), RST, 0, 0, 0);
        }
        if (state != TcpState.CLOSED) {
            enterClosed(TcpCloseReason.ABORTED);
        }
    }

    // ------------------------------------------------------------------ time

    /** When {@link #poll} next has work: {@link Long#MIN_VALUE} for now, {@link #NO_DEADLINE} for never. */
    public long nextDeadlineNanos() {
        if (state == TcpState.CLOSED) {
            return NO_DEADLINE;
        }
        if (outputPending || ackNow) {
            return Long.MIN_VALUE;
        }
        return timers.next(keepAliveDeadline());
    }

    /** Runs the timers due at {@code nowNanos} and sends what the windows allow. */
    public void poll(long nowNanos) {
        outputPending = false;
        if (state == TcpState.CLOSED) {
            return;
        }
        if (timers.timeWaitOver(nowNanos)) {
            // RFC 9293 section 3.10.8: the time-wait timeout deletes the TCB.
            enterClosed(TcpCloseReason.NORMAL);
            return;
        }
        if (timers.takeRetransmit(nowNanos)) {
            onRetransmitTimeout(nowNanos);
            if (state == TcpState.CLOSED) {
                return;
            }
        }
        if (timers.takePersist(nowNanos)) {
            sendZeroWindowProbe(nowNanos);
        }
        if (nowNanos >= keepAliveDeadline()) {
            onKeepaliveTimer(nowNanos);
            if (state == TcpState.CLOSED) {
                return;
            }
        }
        if (timers.takeDelayedAck(nowNanos)) {
            if (unackedReceivedBytes > 0 || ackNow) {
                counters.increment(TcpCounter.DELAYED_ACKS);
                ackNow = true;
            }
        }
        transmit(nowNanos);
    }

    private void onRetransmitTimeout(long nowNanos) {
        boolean handshake = state == TcpState.SYN_SENT || state == TcpState.SYN_RECEIVED;
        if (!handshake && sndUna == sndMax) {
            return;
        }
        int limit = handshake ? config.maxSynRetransmissions() : config.maxRetransmissions();
        if (timers.countRetransmit() > limit) {
            if (state.synchronized_()) {
                emit(Seq.max(sndNxt, sndMax), RST, 0, 0, nowNanos);
            }
            enterClosed(TcpCloseReason.TIMEOUT);
            return;
        }
        counters.increment(TcpCounter.RETRANSMIT_TIMEOUTS);
        // RFC 6298 section 5.5: back off the timer.
        rtt.backOff();
        if (!handshake) {
            congestion.onRetransmitTimeout(flightBytes(), nowNanos);
            // RFC 2018 section 8: after a timeout the SACKed bits are turned off.
            scoreboard.clear();
            inRecovery = false;
            duplicateAcks = 0;
            // RFC 6582 section 3.2 step 4 (timeout): recover = the highest sequence number sent.
            recover = sndMax;
        }
        // RFC 6298 section 3 (Karn): no RTT sample from a retransmitted segment.
        rttTiming = false;
        // Go back to the first unacknowledged byte (or the SYN) and resend within the window.
        sndNxt = handshake ? iss : sndUna;
        timers.restartRetransmit(nowNanos, rtt.rtoNanos());
    }

    private void sendZeroWindowProbe(long nowNanos) {
        if (sndWnd != 0 || sendBuffer.length() - (sndNxt - sendBase) <= 0) {
            return;
        }
        // RFC 9293 section 3.8.6.1: probe the zero window. The probe carries an old sequence number
        // (SND.UNA - 1) and no data, which any receiver answers with an ACK showing its window.
        counters.increment(TcpCounter.ZERO_WINDOW_PROBES);
        emit(sndUna - 1, ACK, 0, 0, nowNanos);
        timers.onProbeSent(nowNanos, rtt.rtoNanos(), config.maxRtoNanos());
    }

    /** Keep-alive probes only in ESTABLISHED and CLOSE-WAIT, where the connection may idle. */
    private long keepAliveDeadline() {
        return state == TcpState.ESTABLISHED || state == TcpState.CLOSE_WAIT ? keepAlive.deadlineNanos() : NO_DEADLINE;
    }

    private void onKeepaliveTimer(long nowNanos) {
        switch (keepAlive.onTimer(nowNanos, sndUna != sndMax)) {
            case PROBE -> {
                // RFC 9293 section 3.8.4: a keep-alive is SEG.SEQ = SND.NXT - 1 with no data; the
                // peer answers the old sequence number with an ACK.
                counters.increment(TcpCounter.KEEPALIVE_PROBES);
                emit(sndNxt - 1, ACK, 0, 0, nowNanos);
            }
            case ABORT -> {
                // RFC 1122 section 4.2.3.6: the peer is gone; reset as Linux does, the application
                // sees "connection timed out".
                emit(sndNxt, RST, 0, 0, nowNanos);
                enterClosed(TcpCloseReason.TIMEOUT);
            }
            case NONE -> {
            }
        }
    }

    // ------------------------------------------------------------------ segment arrival

    /**
     * Processes one received segment (already validated by the layer: checksum, options) at
     * {@code nowNanos}, and sends what it calls for.
     *
     * @param packet holds the segment's data ({@code segment.payloadLength()} bytes at
     *     {@code dataOffset}; the received frame, so that nothing is sliced or copied on the way),
     *     valid during the call
     */
    public void onSegment(TcpHeader segment, MemorySegment packet, long dataOffset, long nowNanos) {
        if (dataOffset < 0 || dataOffset > packet.byteSize() - segment.payloadLength()) {
            throw new IllegalArgumentException("payload of " + segment.payloadLength() + " bytes at " + dataOffset
                    + " outside a packet of " + packet.byteSize());
        }
        counters.increment(TcpCounter.SEGMENTS_RECEIVED);
        switch (state) {
            case CLOSED, LISTEN -> {
                return;
            }
            case SYN_SENT -> onSegmentInSynSent(segment, nowNanos);
            default -> onSegmentSynchronized(segment, packet, dataOffset, nowNanos);
        }
        if (state != TcpState.CLOSED) {
            transmit(nowNanos);
        }
    }

    /** RFC 9293 section 3.10.7.3, with RFC 5961 section 3.2 for RST. */
    private void onSegmentInSynSent(TcpHeader seg, long nowNanos) {
        int flags = seg.flags();
        int ackNo = seg.acknowledgementNumber();
        boolean ack = (flags & ACK) != 0;
        if (ack && (Seq.le(ackNo, iss) || Seq.gt(ackNo, sndMax))) {
            // Unacceptable ACK: <SEQ=SEG.ACK><CTL=RST> unless it is itself a RST.
            if ((flags & RST) == 0) {
                emit(ackNo, RST, 0, 0, nowNanos);
            }
            return;
        }
        if ((flags & RST) != 0) {
            // Only a RST acknowledging our SYN resets a connection in SYN-SENT.
            if (ack) {
                counters.increment(TcpCounter.RESETS_RECEIVED);
                enterClosed(TcpCloseReason.REFUSED);
            }
            return;
        }
        if ((flags & SYN) == 0) {
            return;
        }
        irs = seg.sequenceNumber();
        rcvNxt = irs + 1;
        lastAckSent = rcvNxt;
        applyPeerSynOptions(seg.options(), nowNanos);
        // RFC 7323 section 2.2: the window in a SYN segment is never scaled.
        sndWnd = seg.window();
        maxSndWnd = sndWnd;
        sndWl1 = seg.sequenceNumber();
        sndWl2 = ackNo;
        if (ack) {
            sndUna = ackNo;
            if (rttTiming && timers.retransmits() == 0) {
                rtt.sample(nowNanos - rttStartNanos);
            }
            rttTiming = false;
            establish(nowNanos);
            ackNow = true;
        } else {
            // Simultaneous open (RFC 9293 figure 7): SYN-RECEIVED, and our SYN goes again with ACK.
            state = TcpState.SYN_RECEIVED;
            sndNxt = iss;
        }
    }

    private void establish(long nowNanos) {
        state = TcpState.ESTABLISHED;
        sendBase = iss + 1;
        sndNxt = Seq.max(sndNxt, sndUna);
        timers.onAcknowledged(sndUna == sndMax, nowNanos, rtt.rtoNanos());
        // RFC 6928: IW = min(10 MSS, max(2 MSS, 14600)) when configured for 10 segments.
        long initialWindow = Math.min((long) config.initialWindowSegments() * sendMss,
                Math.max(2L * sendMss, config.initialWindowSegments() >= 10 ? 14600 : 4380));
        congestion.init(sendMss, initialWindow, nowNanos);
        keepAlive.start(nowNanos);
        if (finQueued) {
            state = TcpState.FIN_WAIT_1;
        }
    }

    /** RFC 9293 section 3.10.7.4 for SYN-RECEIVED and every later state. */
    private void onSegmentSynchronized(TcpHeader seg, MemorySegment packet, long dataOffset, long nowNanos) {
        int flags = seg.flags();
        int seq = seg.sequenceNumber();
        boolean rst = (flags & RST) != 0;
        boolean syn = (flags & SYN) != 0;
        boolean ack = (flags & ACK) != 0;
        int ackNo = seg.acknowledgementNumber();
        if (state == TcpState.SYN_RECEIVED && syn && !rst && seq == irs) {
            if (!ack) {
                // The peer retransmitted its SYN: our SYN-ACK was lost, send it again.
                sndNxt = iss;
                return;
            }
            if (Seq.lt(sndUna, ackNo) && Seq.le(ackNo, sndMax)) {
                // Simultaneous open: the peer's SYN-ACK acknowledges our SYN.
                sndUna = ackNo;
                establish(nowNanos);
                ackNow = true;
                return;
            }
        }
        boolean ts = seg.hasTimestamps();
        int tsValue = seg.timestampValue();
        // RFC 7323 section 5.3 (PAWS): a segment whose TSval is older than TS.Recent is a duplicate.
        if (timestampsOn && ts && !rst && tsRecentValid && Seq.lt(tsValue, tsRecent)) {
            if (nowNanos - tsRecentNanos > PAWS_IDLE_NANOS) {
                tsRecentValid = false;
            } else {
                counters.increment(TcpCounter.PAWS_DROPS);
                ackNow = true;
                return;
            }
        }
        int segLen = seg.segmentLength();
        long window = receiveBuffer.window();
        boolean acceptable;
        if (segLen == 0) {
            acceptable = window == 0 ? seq == rcvNxt : Seq.inWindow(seq, rcvNxt, window);
        } else {
            acceptable = window > 0
                    && (Seq.inWindow(seq, rcvNxt, window) || Seq.inWindow(seq + segLen - 1, rcvNxt, window));
        }
        // RFC 9293 section 3.10.7.4: with a zero window, valid ACKs, URGs and RSTs are still processed.
        boolean zeroWindowSegment = !acceptable && window == 0 && seq == rcvNxt;
        if (!acceptable && !zeroWindowSegment) {
            counters.increment(TcpCounter.UNACCEPTABLE_SEGMENTS);
            if (!rst) {
                // Unacceptable: send <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> and drop. In TIME-WAIT a
                // retransmitted FIN also restarts the 2 MSL timer (section 3.10.7.4, eighth step).
                ackNow = true;
                if (state == TcpState.TIME_WAIT && (flags & FIN) != 0) {
                    timers.restartTimeWait(nowNanos, 2 * config.mslNanos());
                }
            }
            return;
        }
        if (rst && state == TcpState.TIME_WAIT) {
            // RFC 1337 section 3 (TIME-WAIT assassination): ignore RST in TIME-WAIT.
            return;
        }
        if (rst) {
            // RFC 5961 section 3.2: reset only when SEG.SEQ = RCV.NXT exactly; otherwise challenge.
            if (seq == rcvNxt) {
                counters.increment(TcpCounter.RESETS_RECEIVED);
                enterClosed(TcpCloseReason.RESET);
            } else {
                challengeAck(nowNanos);
            }
            return;
        }
        if (syn) {
            // RFC 5961 section 4.2: any SYN in a synchronized state gets a challenge ACK.
            challengeAck(nowNanos);
            return;
        }
        if (!ack) {
            return;
        }
        if (state == TcpState.SYN_RECEIVED) {
            if (Seq.lt(sndUna, ackNo) && Seq.le(ackNo, sndMax)) {
                establish(nowNanos);
            } else {
                // RFC 9293: an unacceptable ACK in SYN-RECEIVED is answered by <SEQ=SEG.ACK><CTL=RST>.
                emit(ackNo, RST, 0, 0, nowNanos);
                return;
            }
        }
        if (Seq.gt(ackNo, sndMax)) {
            // Acknowledges something not yet sent: send an ACK and drop.
            ackNow = true;
            return;
        }
        // RFC 5961 section 5.2: acceptable ACKs satisfy SND.UNA - MAX.SND.WND <= SEG.ACK.
        if (Seq.lt(ackNo, sndUna - (int) Math.min(maxSndWnd, Integer.MAX_VALUE))) {
            challengeAck(nowNanos);
            return;
        }
        // RFC 7323 section 4.3: TS.Recent is updated when SEG.SEQ <= Last.ACK.sent.
        if (timestampsOn && ts && Seq.le(seq, lastAckSent)) {
            tsRecent = tsValue;
            tsRecentNanos = nowNanos;
            tsRecentValid = true;
        }
        keepAlive.heard(nowNanos);
        processAck(seg, ackNo, nowNanos);
        if (state == TcpState.CLOSED) {
            return;
        }
        if (zeroWindowSegment) {
            if (seg.payloadLength() > 0) {
                ackNow = true;
            }
            return;
        }
        if (seg.payloadLength() > 0) {
            processData(seq, packet, dataOffset, seg.payloadLength(), nowNanos);
        }
        if ((flags & FIN) != 0 && !peerFinReceived) {
            peerFinPending = true;
            peerFinSeq = seq + seg.payloadLength();
        }
        processPeerFin(nowNanos);
    }

    private void challengeAck(long nowNanos) {
        if (challengeAcks.tryAcquire(nowNanos)) {
            counters.increment(TcpCounter.CHALLENGE_ACKS);
            ackNow = true;
        } else {
            counters.increment(TcpCounter.CHALLENGE_ACKS_SUPPRESSED);
        }
    }

    private void processAck(TcpHeader seg, int ackNo, long nowNanos) {
        int seq = seg.sequenceNumber();
        // RFC 9293 section 3.10.7.4 fifth step: update the send window from the newest segment.
        long segWindow = (long) seg.window() << sndShift;
        boolean windowChanged = false;
        if (Seq.lt(sndWl1, seq) || (sndWl1 == seq && Seq.le(sndWl2, ackNo))) {
            windowChanged = segWindow != sndWnd;
            sndWnd = segWindow;
            sndWl1 = seq;
            sndWl2 = ackNo;
            maxSndWnd = Math.max(maxSndWnd, sndWnd);
        }
        if (sackOn && !seg.sackBlocks().isEmpty()) {
            scoreboard.update(seg.sackBlocks(), ackNo, sndMax);
        }
        if (Seq.gt(ackNo, sndUna)) {
            onNewAck(ackNo, nowNanos);
        } else if (ackNo == sndUna && seg.payloadLength() == 0 && (seg.flags() & (SYN | FIN)) == 0 && !windowChanged
                && sndUna != sndMax) {
            onDuplicateAck(nowNanos);
        }
        if (sndWnd > 0) {
            timers.onWindowOpen();
        }
        // Our FIN acknowledged: the closing transitions of RFC 9293 section 3.10.7.4.
        if (finQueued && Seq.gt(sndUna, finSeq())) {
            switch (state) {
                case FIN_WAIT_1 -> state = TcpState.FIN_WAIT_2;
                case CLOSING -> enterTimeWait(nowNanos);
                case LAST_ACK -> enterClosed(TcpCloseReason.NORMAL);
                default -> {
                }
            }
        }
    }

    private int finSeq() {
        return sendBase + sendBuffer.length();
    }

    private void onNewAck(int ackNo, long nowNanos) {
        long flightBefore = flightBytes();
        int ackedTotal = ackNo - sndUna;
        // Release acknowledged data; the FIN's sequence number is not data.
        int dataAcked = Math.max(0, Math.min(ackNo - sendBase, sendBuffer.length()));
        if (dataAcked > 0) {
            sendBuffer.consume(dataAcked);
            sendBase += dataAcked;
        }
        sndUna = ackNo;
        if (Seq.lt(sndNxt, sndUna)) {
            sndNxt = sndUna;
        }
        scoreboard.advance(sndUna);
        // RFC 6298 section 3 (Karn): time only segments never retransmitted.
        if (rttTiming && Seq.ge(ackNo, rttSeq)) {
            rtt.sample(nowNanos - rttStartNanos);
            rttTiming = false;
        }
        timers.clearRetransmits();
        if (inRecovery) {
            if (Seq.ge(ackNo, recover)) {
                // RFC 6582 section 3.2 step 3, full acknowledgment: deflate to
                // min(ssthresh, max(FlightSize, SMSS) + SMSS) and leave recovery.
                inRecovery = false;
                duplicateAcks = 0;
                congestion.setCongestionWindow(Math.min(congestion.slowStartThreshold(),
                        Math.max(flightBytes(), sendMss) + sendMss));
            } else {
                // RFC 6582 step 3, partial acknowledgment: retransmit the first unacknowledged
                // segment, deflate by the amount acknowledged, add back one SMSS if that was >= SMSS.
                long cwnd = congestion.congestionWindow() - ackedTotal + (ackedTotal >= sendMss ? sendMss : 0);
                congestion.setCongestionWindow(cwnd);
                if (!sackOn) {
                    retransmitNext = sndUna;
                }
                retransmitHole(nowNanos);
            }
        } else {
            duplicateAcks = 0;
            congestion.onAck(ackedTotal, flightBefore, rtt.smoothedRttNanos(), nowNanos);
        }
        // RFC 6298 section 5.2/5.3: stop the timer when all is acknowledged, else restart it.
        timers.onAcknowledged(sndUna == sndMax, nowNanos, rtt.rtoNanos());
    }

    private void onDuplicateAck(long nowNanos) {
        counters.increment(TcpCounter.DUPLICATE_ACKS);
        duplicateAcks++;
        if (inRecovery) {
            // RFC 5681 section 3.2 step 4: inflate by one SMSS per further duplicate ACK.
            congestion.setCongestionWindow(congestion.congestionWindow() + sendMss);
            if (sackOn) {
                retransmitHole(nowNanos);
            }
            return;
        }
        // RFC 6582 section 3.2 step 2: enter recovery only when the ACK covers more than recover.
        if (duplicateAcks == DUPLICATE_ACK_THRESHOLD && Seq.gt(sndUna, recover)) {
            counters.increment(TcpCounter.FAST_RETRANSMITS);
            congestion.onCongestionEvent(flightBytes(), nowNanos);
            // RFC 5681 section 3.2 step 3: cwnd = ssthresh + 3 SMSS, and resend the lost segment.
            congestion.setCongestionWindow(congestion.slowStartThreshold() + 3L * sendMss);
            inRecovery = true;
            recover = sndMax;
            retransmitNext = sndUna;
            retransmitHole(nowNanos);
        }
    }

    /**
     * Retransmits the next segment believed lost: from {@code retransmitNext} (at least
     * SND.UNA), skipping SACKed ranges, up to the next SACKed range. Beyond the highest SACKed
     * byte nothing is known lost, so only SND.UNA itself is resent there.
     */
    private void retransmitHole(long nowNanos) {
        int seq = Seq.max(retransmitNext, sndUna);
        if (sackOn) {
            seq = scoreboard.skipSacked(seq);
            if (seq != sndUna && !Seq.lt(seq, scoreboard.highestSacked(sndUna))) {
                return;
            }
        }
        if (!Seq.lt(seq, sndMax)) {
            return;
        }
        int end = Seq.min(seq + segmentDataCapacity(), sndMax);
        if (sackOn) {
            end = scoreboard.nextSackedStart(seq, end);
        }
        int offset = seq - sendBase;
        int dataLength = Math.max(0, Math.min(end - seq, sendBuffer.length() - offset));
        boolean fin = finQueued && seq + dataLength == finSeq() && Seq.gt(end, finSeq());
        if (dataLength == 0 && !fin) {
            return;
        }
        rttTiming = false;
        emit(seq, ACK | (fin ? FIN : 0), offset, dataLength, nowNanos);
        counters.increment(TcpCounter.RETRANSMITTED_SEGMENTS);
        retransmitNext = seq + dataLength + (fin ? 1 : 0);
        timers.startRetransmitIfStopped(nowNanos, rtt.rtoNanos());
    }

    private void processData(int seq, MemorySegment packet, long dataOffset, int length, long nowNanos) {
        if (!state.canReceiveData() || peerFinReceived) {
            // RFC 9293: text after the peer's FIN (CLOSE-WAIT, CLOSING, LAST-ACK, TIME-WAIT) is ignored.
            return;
        }
        int skip = Seq.lt(seq, rcvNxt) ? rcvNxt - seq : 0;
        if (skip >= length) {
            // A duplicate: acknowledge at once (RFC 5681 section 4.2).
            ackNow = true;
            return;
        }
        int offset = seq + skip - rcvNxt;
        long room = receiveBuffer.window() - offset;
        int fit = (int) Math.min(length - skip, Math.max(0, room));
        if (fit < length - skip) {
            counters.increment(TcpCounter.WINDOW_TRIMMED_SEGMENTS);
            ackNow = true;
        }
        if (fit <= 0) {
            return;
        }
        int advanced = receiveBuffer.insert(offset, packet, dataOffset + skip, fit);
        if (advanced < 0) {
            counters.increment(TcpCounter.OUT_OF_ORDER_DROPS);
            ackNow = true;
            return;
        }
        if (offset > 0) {
            // Out of order: an immediate duplicate ACK carrying SACK blocks (RFC 5681 section 4.2).
            counters.increment(TcpCounter.OUT_OF_ORDER_SEGMENTS);
            ackNow = true;
            return;
        }
        rcvNxt += advanced;
        counters.add(TcpCounter.BYTES_RECEIVED, advanced);
        if (applicationClosed) {
            receiveBuffer.discardAvailable();
        }
        if (advanced > fit || receiveBuffer.rangeCount() > 0) {
            // Filled (part of) a hole: acknowledge at once (RFC 5681 section 4.2).
            ackNow = true;
            return;
        }
        // RFC 9293 section 3.8.6.3 / RFC 5681 section 4.2: delay the ACK, but acknowledge at
        // least every second full-sized segment, and never later than the delayed-ACK timer.
        unackedReceivedBytes += advanced;
        if (quickAck || unackedReceivedBytes >= 2 * Math.min(sendMss, receiveMss) || config.delayedAckNanos() == 0) {
            ackNow = true;
        } else {
            timers.startDelayedAckIfStopped(nowNanos, config.delayedAckNanos());
        }
    }

    private void processPeerFin(long nowNanos) {
        if (!peerFinPending || peerFinReceived || rcvNxt != peerFinSeq) {
            return;
        }
        // RFC 9293 section 3.10.7.4 eighth step: the FIN is in order; advance RCV.NXT over it.
        peerFinReceived = true;
        peerFinPending = false;
        rcvNxt++;
        ackNow = true;
        switch (state) {
            case SYN_RECEIVED, ESTABLISHED -> state = TcpState.CLOSE_WAIT;
            case FIN_WAIT_1 -> {
                // Our FIN not yet acknowledged (else we would be in FIN-WAIT-2): simultaneous close.
                state = TcpState.CLOSING;
            }
            case FIN_WAIT_2 -> enterTimeWait(nowNanos);
            default -> {
            }
        }
    }

    private void enterTimeWait(long nowNanos) {
        state = TcpState.TIME_WAIT;
        timers.enterTimeWait(nowNanos, 2 * config.mslNanos());
        sendBuffer.release();
        releaseReceiveBufferInTimeWait();
    }

    /**
     * TIME-WAIT only remembers the four-tuple and sequence numbers (RFC 9293 section 3.6.1): both
     * directions are closed, so no data can arrive. The receive buffer goes as soon as the
     * application has read (or given up) what arrived before the FIN; Linux likewise keeps no
     * buffers for a TIME-WAIT socket.
     */
    private void releaseReceiveBufferInTimeWait() {
        if (state == TcpState.TIME_WAIT && (applicationClosed || receiveBuffer.available() == 0)) {
            receiveBuffer.release();
        }
    }

    private void enterClosed(TcpCloseReason reason) {
        state = TcpState.CLOSED;
        closeReason = reason;
        timers.stopAll();
        ackNow = false;
        outputPending = false;
        sendBuffer.release();
        // RFC 9293 section 3.10.7.4: on reset the queues are flushed; after a normal close the
        // application may still read what arrived before the FIN.
        if (reason != TcpCloseReason.NORMAL || receiveBuffer.available() == 0 || applicationClosed) {
            receiveBuffer.release();
        }
    }

    // ------------------------------------------------------------------ sending

    private long flightBytes() {
        return Integer.toUnsignedLong(sndMax - sndUna);
    }

    private void transmit(long nowNanos) {
        switch (state) {
            case CLOSED, LISTEN -> {
                return;
            }
            case SYN_SENT, SYN_RECEIVED -> {
                if (sndNxt == iss) {
                    sendSyn(nowNanos);
                } else if (ackNow && state == TcpState.SYN_RECEIVED) {
                    emit(sndNxt, ACK, 0, 0, nowNanos);
                }
                return;
            }
            default -> {
            }
        }
        boolean sent = sendData(nowNanos);
        if (ackNow && !sent) {
            emit(pureAckSequence(), ACK, 0, 0, nowNanos);
        }
        updatePersistTimer(nowNanos);
    }

    /**
     * The sequence number of a pure ACK: SND.MAX, but not beyond the right edge of the peer's
     * window (Linux's tcp_acceptable_seq). Not SND.NXT: after a retransmission timeout SND.NXT is
     * back at SND.UNA, below the peer's RCV.NXT, and a segment there fails the peer's
     * acceptability test (RFC 9293 section 3.10.7.4), so its ACK field is never read; with both
     * sides retransmitting, neither would ever learn that its data arrived.
     */
    private int pureAckSequence() {
        int windowEnd = sndUna + (int) Math.min(sndWnd, Integer.MAX_VALUE >> 1);
        return Seq.min(sndMax, windowEnd);
    }

    private void sendSyn(long nowNanos) {
        int flags = state == TcpState.SYN_SENT ? SYN : SYN | ACK;
        if (Seq.lt(iss, sndMax)) {
            counters.increment(TcpCounter.RETRANSMITTED_SEGMENTS);
        } else {
            rttTiming = true;
            rttSeq = iss + 1;
            rttStartNanos = nowNanos;
        }
        emit(iss, flags, 0, 0, nowNanos);
        sndNxt = iss + 1;
        sndMax = Seq.max(sndMax, sndNxt);
        timers.startRetransmitIfStopped(nowNanos, rtt.rtoNanos());
    }

    /** Sends data (and the FIN) from SND.NXT within the send and congestion windows; true when something went. */
    private boolean sendData(long nowNanos) {
        boolean sentAny = false;
        while (true) {
            if (sackOn && Seq.lt(sndNxt, sndMax)) {
                int skipped = Seq.min(scoreboard.skipSacked(sndNxt), sndMax);
                if (skipped != sndNxt) {
                    sndNxt = skipped;
                    continue;
                }
            }
            int offset = sndNxt - sendBase;
            int queued = sendBuffer.length();
            if (offset > queued || offset < 0) {
                break;
            }
            int unsent = queued - offset;
            long window = Math.min(sndWnd, congestion.congestionWindow());
            long room = window - Integer.toUnsignedLong(sndNxt - sndUna);
            int capacity = segmentDataCapacity();
            int length = (int) Math.max(0, Math.min(Math.min(unsent, capacity), room));
            boolean retransmission = Seq.lt(sndNxt, sndMax);
            if (sackOn && retransmission) {
                length = Math.min(length, scoreboard.nextSackedStart(sndNxt, sndMax) - sndNxt);
            }
            boolean fin = finQueued && offset + length == queued;
            if (length == 0 && !fin) {
                break;
            }
            if (!fin && length < capacity && !retransmission) {
                // Nagle (RFC 9293 section 3.7.4) and sender SWS avoidance (section 3.8.6.2.1): a
                // short segment goes only when nothing is in flight, or with TCP_NODELAY when it
                // carries all queued data.
                boolean nothingInFlight = sndNxt == sndUna;
                if (!(nothingInFlight || (length == unsent && noDelay))) {
                    break;
                }
            }
            int flags = ACK | (fin ? FIN : 0);
            if (retransmission) {
                counters.increment(TcpCounter.RETRANSMITTED_SEGMENTS);
                rttTiming = false;
            } else {
                counters.add(TcpCounter.BYTES_SENT, length);
                if (!rttTiming && timers.retransmits() == 0) {
                    rttTiming = true;
                    rttSeq = sndNxt + length + (fin ? 1 : 0);
                    rttStartNanos = nowNanos;
                }
            }
            emit(sndNxt, flags, offset, length, nowNanos);
            sentAny = true;
            sndNxt += length + (fin ? 1 : 0);
            sndMax = Seq.max(sndMax, sndNxt);
            timers.startRetransmitIfStopped(nowNanos, rtt.rtoNanos());
            if (fin) {
                break;
            }
        }
        return sentAny;
    }

    /**
     * The data one segment may carry: the send MSS less the options a data segment carries now
     * (RFC 9293 section 3.7.1, RFC 6691), so that header, options and data never exceed what the
     * peer and the path accept — otherwise every full segment would be fragmented at IP.
     * Timestamps take 12 bytes (10 padded to a word); SACK 2 bytes plus 8 per block, padded.
     */
    private int segmentDataCapacity() {
        int optionBytes = timestampsOn ? 12 : 0;
        if (sackOn) {
            int blocks = Math.min(receiveBuffer.rangeCount(), timestampsOn ? 3 : 4);
            if (blocks > 0) {
                optionBytes += 4 + 8 * blocks;
            }
        }
        return Math.max(1, sendMss - optionBytes);
    }

    private void updatePersistTimer(long nowNanos) {
        int unsent = sendBuffer.length() - (sndNxt - sendBase);
        boolean stalled = sndWnd == 0 && unsent > 0 && sndUna == sndMax;
        if (!stalled) {
            timers.stopPersist();
        } else {
            timers.startPersistIfStopped(nowNanos, rtt.rtoNanos(), config.maxRtoNanos());
        }
    }

    /** Builds and sends one segment; {@code dataOffset} is relative to the send buffer's first byte. */
    private void emit(int seq, int flags, int dataOffset, int dataLength, long nowNanos) {
        boolean synSegment = (flags & SYN) != 0;
        boolean rstSegment = (flags & RST) != 0;
        TcpOptions options = rstSegment ? TcpOptions.NONE : options(synSegment, (flags & ACK) != 0, nowNanos);
        long window = receiveBuffer.window();
        // RFC 7323 section 2.2: the window of a SYN is never scaled.
        int windowField = (int) Math.min(0xFFFF, synSegment ? window : window >> rcvShift);
        if (rstSegment) {
            windowField = 0;
        }
        int ackNo = (flags & ACK) != 0 ? rcvNxt : 0;
        MemorySegment data = EMPTY;
        long start = 0;
        if (dataLength > 0) {
            // The data goes from the send buffer straight into the frame (the output copies it
            // there); only a range that wraps around the ring is gathered into scratch first.
            start = sendBuffer.contiguousStart(dataOffset, dataLength);
            data = sendBuffer.ring();
            if (start < 0) {
                if (scratch.byteSize() < dataLength) {
                    scratch = MemorySegment.ofArray(new byte[Math.max(dataLength, sendMss)]);
                }
                sendBuffer.copyOut(dataOffset, scratch, dataLength);
                data = scratch;
                start = 0;
            }
        }
        TcpHeader header = sendHeader.set(localPort, remotePort, seq, ackNo, flags, windowField, 0, options, dataLength);
        if (!rstSegment && !synSegment && timestampsOn) {
            // RFC 7323 section 3.2: every segment but a RST carries TSval and TSecr once agreed;
            // as numbers in the reused header, so a new timestamp tick allocates nothing.
            sendHeader.setTimestamps(tsValue(nowNanos), tsRecent);
        }
        counters.increment(TcpCounter.SEGMENTS_SENT);
        if (rstSegment) {
            counters.increment(TcpCounter.RESETS_SENT);
        }
        if ((flags & ACK) != 0) {
            lastAckSent = rcvNxt;
            ackNow = false;
            unackedReceivedBytes = 0;
            timers.stopDelayedAck();
            lastAdvertisedWindow = synSegment ? windowField : (long) windowField << rcvShift;
        }
        output.transmit(header, data, start);
    }

    /**
     * The options of a segment to send: all of them for a SYN; otherwise the SACK blocks only,
     * since {@link #emit} gives the timestamps to the reused header as numbers.
     */
    private TcpOptions options(boolean syn, boolean ack, long nowNanos) {
        if (syn) {
            boolean offerAll = state == TcpState.SYN_SENT;
            int ws = (offerAll ? config.windowScaling() : windowScaleOn) ? rcvShift : TcpOptions.ABSENT;
            boolean sackPermitted = offerAll ? config.sack() : sackOn;
            boolean ts = offerAll ? config.timestamps() : timestampsOn;
            TcpTimestamps timestamps = ts ? new TcpTimestamps(tsValue(nowNanos), ack ? tsRecent : 0) : null;
            return new TcpOptions(receiveMss, ws, sackPermitted, List.of(), timestamps);
        }
        // Beside the timestamps, which emit adds to the header as numbers.
        List<SackBlock> blocks = sackOn ? sackBlocks() : List.of();
        if (blocks.isEmpty()) {
            return TcpOptions.NONE;
        }
        return new TcpOptions(TcpOptions.ABSENT, TcpOptions.ABSENT, false, blocks, null);
    }

    /**
     * For a connection built from a SYN cookie: continue from the TSval of the cookie SYN-ACK
     * (the ACK's TSecr), so that the peer's PAWS check (RFC 7323 section 5) accepts our segments.
     */
    void continueTimestampsAfter(int echoedTsval, long nowNanos) {
        tsOffset = echoedTsval + 1 - (int) (nowNanos / 1_000_000L);
    }

    /** TSval: a millisecond clock with a per-connection offset (RFC 7323 sections 5.4 and 7.1). */
    private int tsValue(long nowNanos) {
        return (int) (nowNanos / 1_000_000L) + tsOffset;
    }

    /**
     * SACK blocks (RFC 2018 section 4): the first holds the most recently received segment, the
     * rest the other out-of-order ranges, highest first; three fit beside timestamps, else four.
     */
    private List<SackBlock> sackBlocks() {
        int ranges = receiveBuffer.rangeCount();
        if (ranges == 0) {
            return List.of();
        }
        int limit = timestampsOn ? 3 : 4;
        List<SackBlock> blocks = new ArrayList<>(Math.min(limit, ranges));
        int recent = receiveBuffer.recentRange();
        if (recent >= 0) {
            blocks.add(block(recent));
        }
        for (int i = ranges - 1; i >= 0 && blocks.size() < limit; i--) {
            if (i != recent) {
                blocks.add(block(i));
            }
        }
        return blocks;
    }

    private SackBlock block(int range) {
        return new SackBlock(rcvNxt + receiveBuffer.rangeStartFromNext(range),
                rcvNxt + receiveBuffer.rangeEndFromNext(range));
    }

    // ------------------------------------------------------------------ observation

    /** The current state. */
    public TcpState state() {
        return state;
    }

    /** Why the connection closed ({@link TcpCloseReason#NONE} while open). */
    public TcpCloseReason closeReason() {
        return closeReason;
    }

    /** This connection's counters. */
    public TcpCounters counters() {
        return counters;
    }

    /** Local port. */
    public int localPort() {
        return localPort;
    }

    /** Remote port. */
    public int remotePort() {
        return remotePort;
    }

    /** True for connections opened by {@link #connect}. */
    public boolean activeOpen() {
        return activeOpen;
    }

    /** The effective send MSS. */
    public int sendMss() {
        return sendMss;
    }

    /** The congestion controller (window and threshold). */
    public CongestionControl congestionControl() {
        return congestion;
    }

    /** The RTT estimator (SRTT, RTTVAR, RTO). */
    public RttEstimator rttEstimator() {
        return rtt;
    }

    /** The peer's window in bytes (scaled). */
    public long sendWindow() {
        return sndWnd;
    }

    /** SND.UNA. */
    public int sndUna() {
        return sndUna;
    }

    /** SND.NXT. */
    public int sndNxt() {
        return sndNxt;
    }

    /** The highest sequence number sent. */
    public int sndMax() {
        return sndMax;
    }

    /** RCV.NXT. */
    public int rcvNxt() {
        return rcvNxt;
    }

    /** The initial send sequence number. */
    public int iss() {
        return iss;
    }

    /** True while in fast recovery. */
    public boolean inRecovery() {
        return inRecovery;
    }

    /** True when window scaling, timestamps and SACK were negotiated, in that order. */
    public boolean[] negotiatedOptions() {
        return new boolean[] {windowScaleOn, timestampsOn, sackOn};
    }

    /** Our window shift and the peer's. */
    public int[] windowShifts() {
        return new int[] {rcvShift, sndShift};
    }

    /** The peer has closed its direction (its FIN was received in order). */
    public boolean peerClosed() {
        return peerFinReceived;
    }

    /**
     * Whether a new SYN from the peer may reopen this four-tuple while it is in TIME-WAIT (RFC
     * 6191 section 2, RFC 9293 section 3.10.7.4): with timestamps on both sides when its TSval is
     * newer than TS.Recent, otherwise when its sequence number is beyond RCV.NXT, so that no old
     * duplicate of this incarnation can be taken for the new one.
     */
    public boolean acceptsNewIncarnation(TcpHeader syn) {
        if (state != TcpState.TIME_WAIT || (syn.flags() & (SYN | ACK | RST)) != SYN) {
            return false;
        }
        TcpTimestamps ts = syn.options().timestamps();
        if (timestampsOn && ts != null) {
            return Seq.gt(ts.value(), tsRecent);
        }
        return Seq.gt(syn.sequenceNumber(), rcvNxt);
    }

    /** True while send or receive buffer arrays are allocated. */
    public boolean holdsBuffers() {
        return sendBuffer.allocated() || receiveBuffer.allocated();
    }

    /** The SACK scoreboard (sender side), for tests. */
    SackScoreboard scoreboard() {
        return scoreboard;
    }

    /** Checks the invariants of the sequence variables; returns a description of the first broken one, or null. */
    public String checkInvariants() {
        if (state == TcpState.CLOSED || state == TcpState.SYN_SENT) {
            return null;
        }
        if (Seq.gt(sndUna, sndNxt) && state != TcpState.SYN_RECEIVED) {
            return "SND.UNA " + sndUna + " > SND.NXT " + sndNxt;
        }
        if (Seq.gt(sndNxt, sndMax)) {
            return "SND.NXT > SND.MAX";
        }
        if (Seq.gt(sendBase, sndUna + 1)) {
            return "send base beyond SND.UNA";
        }
        if (flightBytes() > sendBuffer.capacity() + 2L) {
            return "flight " + flightBytes() + " beyond the send buffer";
        }
        if (receiveBuffer.available() > receiveBuffer.capacity()) {
            return "receive buffer overfull";
        }
        return null;
    }

    @Override
    public String toString() {
        return "TcpConnection[" + localPort + " > " + remotePort + " " + state + " una=" + Integer.toUnsignedString(sndUna)
                + " nxt=" + Integer.toUnsignedString(sndNxt) + " rcv=" + Integer.toUnsignedString(rcvNxt) + " wnd=" + sndWnd
                + " cwnd=" + congestion.congestionWindow() + "]";
    }
}
