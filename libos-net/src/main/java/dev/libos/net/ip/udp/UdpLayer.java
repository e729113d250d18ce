package dev.libos.net.ip.udp;

import dev.libos.net.ip.Counters;
import dev.libos.net.ip.IcmpErrorSender;
import dev.libos.net.ip.IpProtocolHandler;
import dev.libos.net.ip.Ipv4Output;
import dev.libos.net.wire.FrameSummary;
import dev.libos.net.wire.IpProtocol;
import dev.libos.net.wire.Ipv4Address;
import dev.libos.net.wire.Ipv4Header;
import dev.libos.net.wire.UdpDatagram;
import dev.libos.net.wire.UdpDescriptor;
import dev.libos.net.wire.UdpRepr;
import dev.libos.net.wire.WireCheck;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;
import org.agrona.collections.Int2ObjectHashMap;

/**
 * UDP (RFC 768) over the IP layer: a bind table of one socket per port, delivery into bounded
 * socket queues, checksums on send (a zero checksum is accepted on receive, as RFC 768 allows),
 * and ICMP port unreachable for closed ports (RFC 1122 4.1.3.1; the ICMP layer rate-limits it).
 * Register it with {@code stack.register(IpProtocol.UDP, udp)}. Owned by the stack's thread.
 */
public final class UdpLayer implements IpProtocolHandler {
    /** First ephemeral port (RFC 6335 dynamic range). */
    public static final int FIRST_EPHEMERAL_PORT = 49152;

    private final Ipv4Output output;
    private final IcmpErrorSender icmpErrors;
    private final Counters<UdpCounter> counters = new Counters<>(UdpCounter.class);
    /** By local port: looked up per received datagram, so keyed by the int without boxing (Agrona). */
    private final Int2ObjectHashMap<UdpSocket> sockets = new Int2ObjectHashMap<>();
    private final UdpDatagram view = new UdpDatagram();
    private int nextEphemeral = FIRST_EPHEMERAL_PORT;

    /** A UDP layer sending through {@code output} and reporting closed ports to {@code icmpErrors}. */
    public UdpLayer(Ipv4Output output, IcmpErrorSender icmpErrors) {
        this.output = Objects.requireNonNull(output, "output");
        this.icmpErrors = Objects.requireNonNull(icmpErrors, "icmpErrors");
    }

    /** The live counters. */
    public Counters<UdpCounter> counters() {
        return counters;
    }

    /**
     * Binds {@code port} (0: a free ephemeral port) on {@code localAddress} ({@code 0.0.0.0}: any).
     *
     * @return the socket, or null when the port is taken (or no ephemeral port is free)
     */
    public UdpSocket bind(Ipv4Address localAddress, int port, int receiveCapacity) {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port must be in [0, 65535]: " + port);
        }
        if (receiveCapacity < 1) {
            throw new IllegalArgumentException("receiveCapacity must be >= 1: " + receiveCapacity);
        }
        Objects.requireNonNull(localAddress, "localAddress");
        if (port == 0) {
            port = freeEphemeralPort();
            if (port < 0) {
                return null;
            }
        } else if (sockets.containsKey(port)) {
            return null;
        }
        UdpSocket socket = new UdpSocket(this, localAddress, port, receiveCapacity);
        sockets.put(port, socket);
        return socket;
    }

    private int freeEphemeralPort() {
        for (int tries = 0; tries <= 0xFFFF - FIRST_EPHEMERAL_PORT; tries++) {
            int candidate = nextEphemeral;
            nextEphemeral = candidate == 0xFFFF ? FIRST_EPHEMERAL_PORT : candidate + 1;
            if (!sockets.containsKey(candidate)) {
                return candidate;
            }
        }
        return -1;
    }

    void unbind(UdpSocket socket) {
        sockets.remove(socket.localPort(), socket);
    }

    boolean send(UdpSocket socket, Ipv4Address destination, int port, byte[] data) {
        if (port < 1 || port > 0xFFFF) {
            throw new IllegalArgumentException("destination port must be in [1, 65535]: " + port);
        }
        UdpRepr repr = new UdpRepr(socket.localPort(), port, data.length);
        Ipv4Address source = socket.localAddress().value() != 0 ? socket.localAddress() : output.sourceFor(destination);
        if (source == null) {
            counters.increment(UdpCounter.SEND_FAILED);
            return false;
        }
        boolean sent = output.send(source, destination, IpProtocol.UDP, repr.bufferLength(), new Ipv4Output.PayloadWriter() {
            @Override
            public void write(MemorySegment payload) {
                write(payload, false);
            }

            @Override
            public void write(MemorySegment payload, boolean checksumByDevice) {
                MemorySegment.copy(data, 0, payload, ValueLayout.JAVA_BYTE, UdpDescriptor.HEADER_LENGTH, data.length);
                UdpDatagram datagram = view.wrap(payload, 0, repr.bufferLength());
                if (checksumByDevice) {
                    repr.emitHeader(datagram); // the IP layer leaves the checksum to the device
                } else {
                    // RFC 768: the checksum covers the pseudo-header, header and data, so the data goes in first.
                    repr.emit(datagram, source, destination);
                }
            }
        });
        counters.increment(sent ? UdpCounter.SENT : UdpCounter.SEND_FAILED);
        return sent;
    }

    /** A datagram the IP layer parsed and checked (checksum included): nothing is verified again here. */
    @Override
    public void onDatagram(FrameSummary.Datagram datagram, MemorySegment packet, long nowNanos) {
        counters.increment(UdpCounter.RECEIVED);
        if (!(datagram instanceof FrameSummary.Udp parsed)) {
            counters.increment(UdpCounter.BAD_DATAGRAM);
            return;
        }
        Ipv4Header ip = parsed.ipv4();
        UdpRepr udp = parsed.udp();
        MemorySegment payload = packet.asSlice(parsed.transportOffset(), UdpDescriptor.HEADER_LENGTH + udp.payloadLength());
        UdpSocket socket = sockets.get(udp.destinationPort());
        if (socket == null || !accepts(socket, ip.destination())) {
            counters.increment(UdpCounter.NO_PORT);
            icmpErrors.destinationUnreachable(ip, payload, IcmpErrorSender.PORT_UNREACHABLE, nowNanos);
            return;
        }
        byte[] data = payload.asSlice(UdpDescriptor.HEADER_LENGTH, udp.payloadLength()).toArray(ValueLayout.JAVA_BYTE);
        if (socket.offer(new UdpMessage(ip.source(), udp.sourcePort(), ip.destination(), data, nowNanos))) {
            counters.increment(UdpCounter.DELIVERED);
        } else {
            counters.increment(UdpCounter.QUEUE_OVERFLOW);
        }
    }

    private static boolean accepts(UdpSocket socket, Ipv4Address destination) {
        int bound = socket.localAddress().value();
        return bound == 0 || bound == destination.value();
    }
}
