package dev.libos.net.ip.icmp;

import dev.libos.net.ip.Counters;
import dev.libos.net.ip.IcmpErrorSender;
import dev.libos.net.ip.IpCounter;
import dev.libos.net.ip.Ipv4Output;
import dev.libos.net.wire.IcmpDescriptor;
import dev.libos.net.wire.IcmpPacket;
import dev.libos.net.wire.IcmpRepr;
import dev.libos.net.wire.IpProtocol;
import dev.libos.net.wire.Ipv4Address;
import dev.libos.net.wire.Ipv4Packet;
import dev.libos.net.wire.Ipv4Header;
import dev.libos.net.wire.WireCheck;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.Predicate;

/**
 * ICMP for a host (RFC 792, RFC 1122 section 3.2.2): answers echo requests, hands echo replies
 * to a listener, counts errors received, and sends destination unreachable errors under the
 * RFC 1122 rules with a token-bucket rate limit (time passed in). Owned by the stack's thread.
 */
public final class IcmpLayer implements IcmpErrorSender {
    /** Bytes of the original datagram's payload quoted in an error: 64 bits (RFC 792). */
    public static final int QUOTED_PAYLOAD_BYTES = 8;

    private final Ipv4Output output;
    private final Predicate<Ipv4Address> isLocalBroadcast;
    private final Counters<IpCounter> counters;
    private final long errorIntervalNanos;
    private final int errorBurst;
    private final IcmpPacket icmpView = new IcmpPacket();
    private final Ipv4Packet ipv4View = new Ipv4Packet();
    private final byte[] quoteScratch = new byte[0xFFFF];
    private double errorTokens;
    private long tokensUpdatedNanos = Long.MIN_VALUE;
    private EchoListener echoListener;

    /**
     * @param output             where messages are sent
     * @param isLocalBroadcast   true for an address that is a broadcast on one of the stack's interfaces
     * @param errorIntervalNanos one error token is added per interval
     * @param errorBurst         tokens held at most (errors sent back to back)
     */
    public IcmpLayer(Ipv4Output output, Predicate<Ipv4Address> isLocalBroadcast, Counters<IpCounter> counters,
                     long errorIntervalNanos, int errorBurst) {
        if (errorIntervalNanos <= 0) {
            throw new IllegalArgumentException("errorIntervalNanos must be > 0: " + errorIntervalNanos);
        }
        if (errorBurst < 1) {
            throw new IllegalArgumentException("errorBurst must be >= 1: " + errorBurst);
        }
        this.output = output;
        this.isLocalBroadcast = isLocalBroadcast;
        this.counters = counters;
        this.errorIntervalNanos = errorIntervalNanos;
        this.errorBurst = errorBurst;
        this.errorTokens = errorBurst;
    }

    /** Sets who hears echo replies (null: nobody). */
    public void setEchoListener(EchoListener listener) {
        this.echoListener = listener;
    }

    /**
     * Handles one received ICMP message (header and data in {@code message}), validating it first.
     */
    public void onMessage(Ipv4Header ip, MemorySegment message, long nowNanos) {
        counters.increment(IpCounter.ICMP_RECEIVED);
        WireCheck check = icmpView.wrapChecked(message, 0, (int) message.byteSize());
        if (!check.ok()) {
            counters.increment(IpCounter.ICMP_INVALID);
            return;
        }
        IcmpRepr icmp = IcmpRepr.parse(icmpView);
        switch (icmp) {
            case IcmpRepr.EchoRequest request -> answerEcho(ip, request, message);
            case IcmpRepr.EchoReply reply -> {
                counters.increment(IpCounter.ICMP_ECHO_REPLIES_RECEIVED);
                EchoListener listener = echoListener;
                if (listener != null) {
                    listener.onEchoReply(ip.source(), reply.identifier(), reply.sequenceNumber(),
                            message.asSlice(IcmpDescriptor.HEADER_LENGTH), nowNanos);
                }
            }
            case IcmpRepr.DestinationUnreachable ignored -> counters.increment(IpCounter.ICMP_ERRORS_RECEIVED);
            case IcmpRepr.TimeExceeded ignored -> counters.increment(IpCounter.ICMP_ERRORS_RECEIVED);
            case IcmpRepr.Other ignored -> counters.increment(IpCounter.ICMP_OTHER);
        }
    }

    private void answerEcho(Ipv4Header ip, IcmpRepr.EchoRequest request, MemorySegment message) {
        counters.increment(IpCounter.ICMP_ECHO_REQUESTS);
        if (isLocalBroadcast.test(ip.destination()) || isMulticast(ip.destination())) {
            // RFC 1122 3.2.2.6 allows silence for broadcast echo; answering invites smurf attacks.
            counters.increment(IpCounter.ICMP_ECHO_BROADCAST_IGNORED);
            return;
        }
        IcmpRepr.EchoReply reply = request.reply();
        // RFC 792 "Echo": the reply carries the request's identifier, sequence number and data.
        boolean sent = output.send(ip.destination(), ip.source(), IpProtocol.ICMP, reply.bufferLength(), payload -> {
            MemorySegment.copy(message, IcmpDescriptor.HEADER_LENGTH, payload, IcmpDescriptor.HEADER_LENGTH,
                    reply.payloadLength());
            reply.emit(icmpView.wrap(payload, 0, reply.bufferLength()));
        });
        if (sent) {
            counters.increment(IpCounter.ICMP_ECHO_REPLIES_SENT);
        }
    }

    /** Sends an echo request to {@code destination}; false if it could not be sent. */
    public boolean sendEchoRequest(Ipv4Address destination, int identifier, int sequenceNumber, byte[] data) {
        IcmpRepr.EchoRequest request = new IcmpRepr.EchoRequest(identifier, sequenceNumber, data.length);
        boolean sent = output.send(null, destination, IpProtocol.ICMP, request.bufferLength(), payload -> {
            MemorySegment.copy(data, 0, payload, ValueLayout.JAVA_BYTE, IcmpDescriptor.HEADER_LENGTH, data.length);
            request.emit(icmpView.wrap(payload, 0, request.bufferLength()));
        });
        if (sent) {
            counters.increment(IpCounter.ICMP_ECHO_REQUESTS_SENT);
        }
        return sent;
    }

    @Override
    public void destinationUnreachable(Ipv4Header original, MemorySegment originalPayload, int code, long nowNanos) {
        if (!errorAllowed(original, originalPayload)) {
            counters.increment(IpCounter.ICMP_ERRORS_SUPPRESSED);
            return;
        }
        if (!takeToken(nowNanos)) {
            counters.increment(IpCounter.ICMP_ERRORS_RATE_LIMITED);
            return;
        }
        int quoted = (int) Math.min(QUOTED_PAYLOAD_BYTES, originalPayload.byteSize());
        int headerLength = original.headerLength();
        // The quote is the original header as received (re-emitted from its record) plus 64 bits of payload.
        original.emit(ipv4View.wrap(MemorySegment.ofArray(quoteScratch), 0, original.bufferLength()));
        IcmpRepr.DestinationUnreachable error = new IcmpRepr.DestinationUnreachable(code, 0, headerLength + quoted);
        boolean sent = output.send(original.destination(), original.source(), IpProtocol.ICMP, error.bufferLength(),
                payload -> {
                    int at = IcmpDescriptor.HEADER_LENGTH;
                    MemorySegment.copy(quoteScratch, 0, payload, ValueLayout.JAVA_BYTE, at, headerLength);
                    MemorySegment.copy(originalPayload, 0, payload, at + headerLength, quoted);
                    error.emit(icmpView.wrap(payload, 0, error.bufferLength()));
                });
        if (sent) {
            counters.increment(IpCounter.ICMP_ERRORS_SENT);
        }
    }

    private boolean errorAllowed(Ipv4Header original, MemorySegment originalPayload) {
        int source = original.source().value();
        if (source == 0 || source == -1 || isMulticast(original.source()) || isLocalBroadcast.test(original.source())) {
            return false; // RFC 1122 3.2.2: the source must name a single host
        }
        if (isLocalBroadcast.test(original.destination()) || isMulticast(original.destination())) {
            return false; // not about a broadcast or multicast datagram
        }
        if (original.fragmentOffsetBytes() != 0) {
            return false; // not about a fragment other than the first
        }
        if (original.protocol() == IpProtocol.ICMP) {
            // Never about an ICMP error (nor anything we cannot tell is not one).
            if (originalPayload.byteSize() < 1) {
                return false;
            }
            int type = originalPayload.get(ValueLayout.JAVA_BYTE, 0) & 0xFF;
            return type == IcmpDescriptor.TYPE_ECHO_REQUEST || type == IcmpDescriptor.TYPE_ECHO_REPLY
                    || type == 13 || type == 14 || type == 15 || type == 16 || type == 17 || type == 18;
        }
        return true;
    }

    private boolean takeToken(long nowNanos) {
        if (tokensUpdatedNanos != Long.MIN_VALUE && nowNanos > tokensUpdatedNanos) {
            errorTokens = Math.min(errorBurst,
                    errorTokens + (double) (nowNanos - tokensUpdatedNanos) / errorIntervalNanos);
        }
        tokensUpdatedNanos = Math.max(tokensUpdatedNanos, nowNanos);
        if (errorTokens >= 1) {
            errorTokens -= 1;
            return true;
        }
        return false;
    }

    private static boolean isMulticast(Ipv4Address address) {
        return (address.value() >>> 28) == 0xE;
    }
}
