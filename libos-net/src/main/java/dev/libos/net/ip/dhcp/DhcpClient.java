package dev.libos.net.ip.dhcp;

import dev.libos.api.device.Poller;
import dev.libos.net.ip.Ipv4Output;
import dev.libos.net.ip.NetInterface;
import dev.libos.net.ip.NetStack;
import dev.libos.net.ip.udp.UdpLayer;
import dev.libos.net.ip.udp.UdpMessage;
import dev.libos.net.ip.udp.UdpSocket;
import dev.libos.net.wire.IpProtocol;
import dev.libos.net.wire.Ipv4Address;
import dev.libos.net.wire.UdpDatagram;
import dev.libos.net.wire.UdpDescriptor;
import dev.libos.net.wire.UdpRepr;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * A DHCP client for one interface (RFC 2131 section 4.4): INIT, SELECTING (DISCOVER, wait for an
 * OFFER), REQUESTING (REQUEST, wait for ACK or NAK), BOUND until T1, RENEWING (REQUEST unicast to
 * the server) until T2, REBINDING (REQUEST broadcast) until the lease ends, then INIT again.
 * Driven by {@link #poll(long)} with the time passed in; retransmissions back off from 4 s
 * doubling to 64 s (section 4.1, without the random +-1 s). On ACK it configures the interface
 * and the default route through the stack. Runs on the stack's thread.
 */
public final class DhcpClient implements Poller {
    /** Where the client is in RFC 2131 figure 5. */
    public enum State { INIT, SELECTING, REQUESTING, BOUND, RENEWING, REBINDING }

    private static final long SECOND = 1_000_000_000L;
    private static final long FIRST_RETRANSMIT_NANOS = 4 * SECOND;
    private static final long MAX_RETRANSMIT_NANOS = 64 * SECOND;

    private final NetStack stack;
    private final NetInterface iface;
    private final Ipv4Output output;
    private final UdpSocket socket;
    private final UdpDatagram view = new UdpDatagram();
    private State state = State.INIT;
    private int xid;
    private long retransmitAtNanos;
    private long retransmitIntervalNanos;
    private Ipv4Address offered;
    private Ipv4Address server;
    private long leaseStartNanos;
    private long renewAtNanos;
    private long rebindAtNanos;
    private long leaseEndNanos;
    private List<Ipv4Address> dnsServers = List.of();
    private long messagesSent;
    private long leasesAcquired;

    /**
     * A client for {@code iface}, receiving on UDP port 68 of {@code udp}.
     *
     * @param initialXid the first transaction id (derive it from a seed in tests)
     * @throws IllegalStateException when port 68 is taken
     */
    public DhcpClient(NetStack stack, NetInterface iface, UdpLayer udp, int initialXid) {
        this.stack = stack;
        this.iface = iface;
        this.output = stack.outputOn(iface);
        this.socket = udp.bind(Ipv4Address.UNSPECIFIED, DhcpMessage.CLIENT_PORT, 16);
        if (socket == null) {
            throw new IllegalStateException("UDP port " + DhcpMessage.CLIENT_PORT + " is taken");
        }
        this.xid = initialXid;
    }

    /** The current state. */
    public State state() {
        return state;
    }

    /** The leased address, or null while not bound. */
    public Ipv4Address address() {
        return state == State.BOUND || state == State.RENEWING || state == State.REBINDING ? iface.address() : null;
    }

    /** When the lease ends, in stack time. */
    public long leaseEndNanos() {
        return leaseEndNanos;
    }

    /** The name servers of the current lease (option 6), empty when it named none or while not bound. */
    public List<Ipv4Address> dnsServers() {
        return address() == null ? List.of() : dnsServers;
    }

    /** The wait before the next retransmission of a DISCOVER or REQUEST (section 4.1 backoff). */
    public long retransmitIntervalNanos() {
        return retransmitIntervalNanos;
    }

    /** Messages sent (DISCOVER and REQUEST). */
    public long messagesSent() {
        return messagesSent;
    }

    /** Leases acquired or extended. */
    public long leasesAcquired() {
        return leasesAcquired;
    }

    @Override
    public int poll(long nowNanos) {
        int work = 0;
        UdpMessage message;
        while ((message = socket.receive()) != null) {
            work++;
            DhcpMessage reply = DhcpMessage.parse(message.data());
            if (reply != null && reply.op() == 2 && reply.xid() == xid && reply.clientMac().equals(iface.mac())) {
                onReply(reply, nowNanos);
            }
        }
        work += timers(nowNanos);
        return work;
    }

    private void onReply(DhcpMessage reply, long nowNanos) {
        switch (state) {
            case SELECTING -> {
                if (reply.type() == DhcpMessage.OFFER && reply.serverId() != null) {
                    // Section 4.4.1: take the first offer and request it, naming the server.
                    offered = reply.yourAddress();
                    server = reply.serverId();
                    state = State.REQUESTING;
                    sendRequest(nowNanos, true);
                }
            }
            case REQUESTING, RENEWING, REBINDING -> {
                if (reply.type() == DhcpMessage.ACK) {
                    bind(reply, nowNanos);
                } else if (reply.type() == DhcpMessage.NAK) {
                    restart(nowNanos); // section 4.4.1: a NAK sends the client back to INIT
                }
            }
            default -> {
                // BOUND and INIT expect nothing
            }
        }
    }

    private void bind(DhcpMessage ack, long nowNanos) {
        long lease = ack.leaseSeconds() > 0 ? ack.leaseSeconds() : 3600;
        // Section 4.4.5: T1 defaults to half the lease, T2 to 7/8 of it.
        long t1 = ack.renewalSeconds() > 0 ? ack.renewalSeconds() : lease / 2;
        long t2 = ack.rebindingSeconds() > 0 ? ack.rebindingSeconds() : lease * 7 / 8;
        Ipv4Address address = ack.yourAddress();
        int prefix = ack.prefixLength() >= 0 ? ack.prefixLength() : 24;
        if (!address.equals(iface.address()) || prefix != iface.prefixLength()) {
            stack.configure(iface, address, prefix);
        }
        if (ack.router() != null) {
            stack.setDefaultRoute(ack.router(), iface);
        }
        if (ack.serverId() != null) {
            server = ack.serverId();
        }
        dnsServers = ack.dnsServers();
        leaseStartNanos = nowNanos;
        renewAtNanos = nowNanos + t1 * SECOND;
        rebindAtNanos = nowNanos + t2 * SECOND;
        leaseEndNanos = nowNanos + lease * SECOND;
        state = State.BOUND;
        leasesAcquired++;
    }

    private int timers(long nowNanos) {
        switch (state) {
            case INIT -> {
                xid++;
                state = State.SELECTING;
                retransmitIntervalNanos = FIRST_RETRANSMIT_NANOS;
                sendDiscover(nowNanos);
                return 1;
            }
            case SELECTING -> {
                if (nowNanos >= retransmitAtNanos) {
                    backOff();
                    sendDiscover(nowNanos);
                    return 1;
                }
            }
            case REQUESTING -> {
                if (nowNanos >= retransmitAtNanos) {
                    if (retransmitIntervalNanos >= MAX_RETRANSMIT_NANOS) {
                        restart(nowNanos);
                    } else {
                        backOff();
                        sendRequest(nowNanos, true);
                    }
                    return 1;
                }
            }
            case BOUND -> {
                if (nowNanos >= renewAtNanos) {
                    state = State.RENEWING;
                    xid++;
                    sendRenewal(nowNanos, server);
                    return 1;
                }
            }
            case RENEWING, REBINDING -> {
                if (nowNanos >= leaseEndNanos) {
                    stack.unconfigure(iface); // section 4.4.5: the lease is gone, stop using the address
                    restart(nowNanos);
                    return 1;
                }
                if (state == State.RENEWING && nowNanos >= rebindAtNanos) {
                    state = State.REBINDING;
                    sendRenewal(nowNanos, Ipv4Address.BROADCAST);
                    return 1;
                }
                if (nowNanos >= retransmitAtNanos) {
                    sendRenewal(nowNanos, state == State.RENEWING ? server : Ipv4Address.BROADCAST);
                    return 1;
                }
            }
        }
        return 0;
    }

    private void restart(long nowNanos) {
        state = State.INIT;
        offered = null;
        timers(nowNanos);
    }

    private void backOff() {
        retransmitIntervalNanos = Math.min(MAX_RETRANSMIT_NANOS, retransmitIntervalNanos * 2);
    }

    private void sendDiscover(long nowNanos) {
        send(new DhcpMessage(1, xid, true, null, null, iface.mac(), DhcpMessage.DISCOVER, null, null, -1, -1, -1, -1,
                null), Ipv4Address.UNSPECIFIED, Ipv4Address.BROADCAST);
        retransmitAtNanos = nowNanos + retransmitIntervalNanos;
    }

    private void sendRequest(long nowNanos, boolean selecting) {
        if (selecting && state == State.REQUESTING && retransmitIntervalNanos == 0) {
            retransmitIntervalNanos = FIRST_RETRANSMIT_NANOS;
        }
        send(new DhcpMessage(1, xid, true, null, null, iface.mac(), DhcpMessage.REQUEST, offered, server, -1, -1, -1,
                -1, null), Ipv4Address.UNSPECIFIED, Ipv4Address.BROADCAST);
        retransmitAtNanos = nowNanos + retransmitIntervalNanos;
    }

    private void sendRenewal(long nowNanos, Ipv4Address destination) {
        // Section 4.3.2: RENEWING and REBINDING fill ciaddr and leave out the requested address and server id.
        send(new DhcpMessage(1, xid, false, iface.address(), null, iface.mac(), DhcpMessage.REQUEST, null, null, -1,
                -1, -1, -1, null), iface.address(), destination);
        // Section 4.4.5: retransmit after half the time left to T2 (or to the lease end), at least 60 s.
        long deadline = state == State.RENEWING ? rebindAtNanos : leaseEndNanos;
        retransmitAtNanos = nowNanos + Math.max(60 * SECOND, (deadline - nowNanos) / 2);
    }

    private void send(DhcpMessage message, Ipv4Address source, Ipv4Address destination) {
        byte[] data = message.encode();
        UdpRepr udp = new UdpRepr(DhcpMessage.CLIENT_PORT, DhcpMessage.SERVER_PORT, data.length);
        output.send(source, destination, IpProtocol.UDP, udp.bufferLength(), payload -> {
            MemorySegment.copy(data, 0, payload, ValueLayout.JAVA_BYTE, UdpDescriptor.HEADER_LENGTH, data.length);
            udp.emit(view.wrap(payload, 0, udp.bufferLength()), source, destination);
        });
        messagesSent++;
    }
}
