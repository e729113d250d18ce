package dev.libos.net.ip;

import dev.libos.api.device.NetDevice;
import dev.libos.api.device.Poller;
import dev.libos.net.ip.icmp.IcmpLayer;
import dev.libos.net.wire.EtherType;
import dev.libos.net.wire.EthernetDescriptor;
import dev.libos.net.wire.EthernetFrame;
import dev.libos.net.wire.EthernetRepr;
import dev.libos.net.wire.FrameSummary;
import dev.libos.net.wire.IpProtocol;
import dev.libos.net.wire.Ipv4Address;
import dev.libos.net.wire.Ipv4Descriptor;
import dev.libos.net.wire.Ipv4Packet;
import dev.libos.net.wire.Ipv4Header;
import dev.libos.net.wire.Ipv4Repr;
import dev.libos.net.wire.MacAddress;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * An IPv4 host stack: interfaces over {@link NetDevice}s, a routing table, ARP, reassembly,
 * ICMP, and the transport handlers registered per protocol number. It is a libos
 * {@link Poller}: each {@link #poll(long)} receives up to a budget of frames per device,
 * dispatches them, and runs the ARP and reassembly timers at the time passed in; nothing in it
 * reads a clock. Sends made between polls are stamped with the time of the last poll.
 *
 * <p>Single owner: every method, and every handler it calls, runs on the thread that polls it.
 * Malformed input is dropped and counted, never thrown.
 *
 * <p>Output fragments datagrams larger than the interface MTU (RFC 791 section 3.2); the DF
 * flag is never set on what it sends. It does not forward datagrams between interfaces.
 */
public final class NetStack implements Poller, Ipv4Output {
    private static final int HEADER_LENGTH = Ipv4Descriptor.MIN_HEADER_LENGTH;
    private static final int ETHERNET = EthernetDescriptor.HEADER_LENGTH;

    private final NetStackSettings settings;
    private final Counters<IpCounter> counters = new Counters<>(IpCounter.class);
    private final List<NetInterface> interfaces = new ArrayList<>();
    private final List<NetDevice.FrameSink> sinks = new ArrayList<>();
    private final RoutingTable routes = new RoutingTable();
    private final IpProtocolHandler[] handlers = new IpProtocolHandler[256];
    private final Ipv4Reassembler reassembler;
    private final IcmpLayer icmp;
    private final EthernetFrame ethernetView = new EthernetFrame();
    private final Ipv4Packet ipv4View = new Ipv4Packet();
    private final TransmitFrames frames = new TransmitFrames();
    private long nowNanos;
    private int nextIdentification;

    /** A stack without interfaces. */
    public NetStack(NetStackSettings settings) {
        if (settings == null) {
            throw new IllegalArgumentException("settings must not be null");
        }
        this.settings = settings;
        this.reassembler = new Ipv4Reassembler(settings.reassembly(), counters);
        this.icmp = new IcmpLayer(this, this::isLocalBroadcast, counters, settings.icmpErrorIntervalNanos(),
                settings.icmpErrorBurst());
    }

    /** Adds an unconfigured interface over {@code device}. */
    public NetInterface addInterface(NetDevice device) {
        NetInterface iface = new NetInterface(device, settings.arp(), counters);
        interfaces.add(iface);
        sinks.add(new NetDevice.FrameSink() {
            @Override
            public void onFrame(MemorySegment frame) {
                NetStack.this.onFrame(iface, frame, false);
            }

            @Override
            public void onFrame(MemorySegment frame, boolean transportChecksumVerified) {
                NetStack.this.onFrame(iface, frame, transportChecksumVerified);
            }
        });
        return iface;
    }

    /**
     * Gives {@code iface} an address: replaces its connected route, forgets its ARP entries and
     * announces the address with a gratuitous ARP.
     */
    public void configure(NetInterface iface, Ipv4Address address, int prefixLength) {
        requireOwn(iface);
        if (address == null || address.value() == 0) {
            throw new IllegalArgumentException("address must be a host address: " + address);
        }
        iface.setAddress(address, prefixLength);
        iface.arp().clear();
        routes.removeAll(iface);
        routes.add(new Route(new Ipv4Subnet(address, prefixLength), null, iface));
        if (!iface.loopback()) {
            iface.arp().announce();
        }
    }

    /** Removes the address and every route of {@code iface}. */
    public void unconfigure(NetInterface iface) {
        requireOwn(iface);
        iface.setAddress(Ipv4Address.UNSPECIFIED, 0);
        iface.arp().clear();
        routes.removeAll(iface);
    }

    /** Adds a route to {@code destination} through {@code gateway} (null: on link) on {@code iface}. */
    public void addRoute(Ipv4Subnet destination, Ipv4Address gateway, NetInterface iface) {
        requireOwn(iface);
        routes.add(new Route(destination, gateway, iface));
    }

    /** Sets the default route (0.0.0.0/0) through {@code gateway} on {@code iface}, replacing any. */
    public void setDefaultRoute(Ipv4Address gateway, NetInterface iface) {
        requireOwn(iface);
        routes.remove(Ipv4Subnet.ANY);
        routes.add(new Route(Ipv4Subnet.ANY, gateway, iface));
    }

    /** Registers the handler of transport {@code protocol} (not ICMP, which the stack handles). */
    public void register(int protocol, IpProtocolHandler handler) {
        if (protocol < 0 || protocol > 255 || protocol == IpProtocol.ICMP) {
            throw new IllegalArgumentException("protocol must be in [0, 255] and not ICMP: " + protocol);
        }
        if (handler == null) {
            throw new IllegalArgumentException("handler must not be null");
        }
        if (handlers[protocol] != null) {
            throw new IllegalArgumentException("protocol " + protocol + " already has a handler");
        }
        handlers[protocol] = handler;
    }

    /** The ICMP layer (echo, errors). */
    public IcmpLayer icmp() {
        return icmp;
    }

    /** The routing table. */
    public RoutingTable routes() {
        return routes;
    }

    /** The reassembler. */
    public Ipv4Reassembler reassembler() {
        return reassembler;
    }

    /** The interfaces, in the order added. */
    public List<NetInterface> interfaces() {
        return List.copyOf(interfaces);
    }

    /** The live IP-layer counters (single owner; use {@link #stats()} from other threads). */
    public Counters<IpCounter> counters() {
        return counters;
    }

    /** The time of the current or last poll. */
    public long nowNanos() {
        return nowNanos;
    }

    /** A snapshot of every counter. */
    public StackStats stats() {
        List<InterfaceStats> perInterface = new ArrayList<>();
        for (NetInterface iface : interfaces) {
            perInterface.add(iface.stats());
        }
        return new StackStats(perInterface, counters.snapshot(), reassembler.bytesInUse(),
                reassembler.datagramsInProgress());
    }

    /**
     * The earliest time a {@link #poll} has timer work: an ARP request to retry or an entry to
     * expire (any interface), a fragmented datagram to time out; {@link Long#MAX_VALUE} if none.
     * Never later than the real deadline, so an owner that sleeps until then misses no timer
     * (the simulation's clock jumps here when every thread waits).
     */
    public long nextTimerDeadlineNanos() {
        long next = reassembler.nextDeadlineNanos();
        for (NetInterface iface : interfaces) {
            next = Math.min(next, iface.arp().nextDeadlineNanos());
        }
        return next;
    }

    @Override
    public int poll(long pollNanos) {
        // Time only moves forward, even if a caller passes an older reading.
        nowNanos = Math.max(nowNanos, pollNanos);
        int work = 0;
        for (int i = 0; i < interfaces.size(); i++) {
            work += interfaces.get(i).device().receive(sinks.get(i), settings.receiveBudget());
        }
        for (int i = 0; i < interfaces.size(); i++) {
            interfaces.get(i).arp().poll(nowNanos);
        }
        reassembler.poll(nowNanos);
        return work;
    }

    /**
     * The one receive path: the parser checks every layer (the transport checksum once, unless
     * the device vouched for it) and each layer above takes what it parsed.
     */
    private void onFrame(NetInterface iface, MemorySegment frame, boolean transportChecksumVerified) {
        iface.countReceived(frame.byteSize());
        switch (iface.parser().parse(frame, transportChecksumVerified)) {
            case FrameSummary.Dropped ignored -> {
                // counted by the parser
            }
            case FrameSummary.Arp arp -> {
                if (forUs(iface, arp.ethernet())) {
                    iface.arp().onArp(arp.ethernet(), arp.arp(), nowNanos);
                }
            }
            case FrameSummary.Datagram datagram -> onIpv4(iface, datagram, frame);
        }
    }

    private boolean forUs(NetInterface iface, EthernetRepr ethernet) {
        MacAddress destination = ethernet.destination();
        if (destination.equals(iface.mac()) || destination.isBroadcast()) {
            return true;
        }
        counters.increment(IpCounter.ETHERNET_NOT_FOR_US);
        return false;
    }

    private void onIpv4(NetInterface iface, FrameSummary.Datagram datagram, MemorySegment frame) {
        Ipv4Header ip = datagram.ipv4();
        if (!forUs(iface, datagram.ethernet())) {
            return;
        }
        if (!iface.acceptsDestination(ip.destination()) && !loopsBack(iface, ip.destination())) {
            counters.increment(IpCounter.IPV4_NOT_FOR_US);
            return;
        }
        int source = ip.source().value();
        if (source == -1 || (source >>> 28) == 0xE || (source >>> 28) == 0xF || iface.isBroadcast(ip.source())) {
            // RFC 1122 3.2.1.3: a source address must name one host; drop anything else silently.
            counters.increment(IpCounter.IPV4_BAD_SOURCE);
            return;
        }
        counters.increment(IpCounter.IPV4_RECEIVED);
        if (ip.isFragment()) {
            Ipv4Reassembler.Reassembled whole = reassembler.accept(ip, frame, datagram.transportOffset(),
                    ip.payloadLength(), nowNanos);
            if (whole != null) {
                MemorySegment payload = MemorySegment.ofArray(whole.payload());
                if (iface.parser().parseDatagram(datagram.ethernet(), whole.header(), payload)
                        instanceof FrameSummary.Datagram parsed) {
                    deliver(parsed, payload);
                } else {
                    counters.increment(IpCounter.REASSEMBLED_MALFORMED);
                }
            }
            return;
        }
        deliver(datagram, frame);
    }

    private void deliver(FrameSummary.Datagram datagram, MemorySegment packet) {
        Ipv4Header ip = datagram.ipv4();
        if (ip.protocol() == IpProtocol.ICMP) {
            counters.increment(IpCounter.IPV4_DELIVERED);
            icmp.onMessage(ip, packet.asSlice(datagram.transportOffset(), ip.payloadLength()), nowNanos);
            return;
        }
        IpProtocolHandler handler = handlers[ip.protocol()];
        if (handler == null) {
            counters.increment(IpCounter.IPV4_NO_PROTOCOL);
            icmp.destinationUnreachable(ip, packet.asSlice(datagram.transportOffset(), ip.payloadLength()),
                    IcmpErrorSender.PROTOCOL_UNREACHABLE, nowNanos);
            return;
        }
        counters.increment(IpCounter.IPV4_DELIVERED);
        handler.onDatagram(datagram, packet, nowNanos);
    }

    /** Whether loopback interface {@code iface} takes {@code destination}: any local address, all of 127.0.0.0/8. */
    private boolean loopsBack(NetInterface iface, Ipv4Address destination) {
        return iface.loopback() && (isLocalAddress(destination) || (iface.configured() && iface.subnet().contains(destination)));
    }

    /** Whether {@code address} is the address of one of this stack's configured interfaces. */
    public boolean isLocalAddress(Ipv4Address address) {
        for (int i = 0; i < interfaces.size(); i++) { // indexed: no iterator on the send path
            NetInterface iface = interfaces.get(i);
            if (iface.configured() && iface.address().equals(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The loopback interface when {@code destination} is one of this host's own addresses (a
     * host talks to itself through loopback whatever interface holds the address, as Linux
     * does), else null.
     */
    private NetInterface loopbackFor(Ipv4Address destination) {
        if (!isLocalAddress(destination)) {
            return null;
        }
        for (NetInterface iface : interfaces) {
            if (iface.loopback()) {
                return iface;
            }
        }
        return null;
    }

    private boolean isLocalBroadcast(Ipv4Address address) {
        if (address.equals(Ipv4Address.BROADCAST)) {
            return true;
        }
        for (NetInterface iface : interfaces) {
            if (iface.isBroadcast(address)) {
                return true;
            }
        }
        return false;
    }

    // ---- output ----

    @Override
    public boolean send(Ipv4Address source, Ipv4Address destination, int protocol, int payloadLength,
                        PayloadWriter writer) {
        if (destination == null) {
            throw new IllegalArgumentException("destination must not be null");
        }
        if (destination.equals(Ipv4Address.BROADCAST)) {
            NetInterface iface = interfaceFor(source);
            if (iface == null) {
                counters.increment(IpCounter.IPV4_NO_ROUTE);
                return false;
            }
            return sendVia(iface, source, destination, destination, protocol, payloadLength, writer);
        }
        NetInterface loopback = loopbackFor(destination);
        if (loopback != null) {
            return sendVia(loopback, source, destination, destination, protocol, payloadLength, writer);
        }
        Route route = routes.lookup(destination);
        if (route == null) {
            counters.increment(IpCounter.IPV4_NO_ROUTE);
            return false;
        }
        return sendVia(route.iface(), source, destination, route.nextHop(destination), protocol, payloadLength,
                writer);
    }

    /**
     * An output that always leaves through {@code iface}, whatever the routes say: for a DHCP
     * client, which broadcasts from 0.0.0.0 before the interface has an address or a route.
     */
    public Ipv4Output outputOn(NetInterface iface) {
        requireOwn(iface);
        return new Ipv4Output() {
            @Override
            public boolean send(Ipv4Address source, Ipv4Address destination, int protocol, int payloadLength,
                                PayloadWriter writer) {
                Route route = iface.isBroadcast(destination) ? null : routes.lookup(destination);
                Ipv4Address nextHop = route != null && route.iface() == iface ? route.nextHop(destination) : destination;
                return sendVia(iface, source, destination, nextHop, protocol, payloadLength, writer);
            }

            @Override
            public Ipv4Address sourceFor(Ipv4Address destination) {
                return iface.address();
            }

            @Override
            public int maxPayload(Ipv4Address destination) {
                return iface.mtu() - HEADER_LENGTH;
            }
        };
    }

    @Override
    public Ipv4Address sourceFor(Ipv4Address destination) {
        if (destination.equals(Ipv4Address.BROADCAST)) {
            NetInterface iface = interfaceFor(null);
            return iface == null ? null : iface.address();
        }
        if (isLocalAddress(destination)) {
            return destination; // a connection to ourselves is from the address it reaches
        }
        Route route = routes.lookup(destination);
        return route == null || !route.iface().configured() ? null : route.iface().address();
    }

    @Override
    public int maxPayload(Ipv4Address destination) {
        NetInterface loopback = loopbackFor(destination);
        if (loopback != null) {
            return loopback.mtu() - HEADER_LENGTH;
        }
        Route route = routes.lookup(destination);
        // Without a route, the datagram size every host must accept (RFC 791: 576) minus the header.
        return (route == null ? 576 : route.iface().mtu()) - HEADER_LENGTH;
    }

    /** The interface holding {@code source}, else the first that is not loopback (broadcasts never loop). */
    private NetInterface interfaceFor(Ipv4Address source) {
        NetInterface first = null;
        for (NetInterface iface : interfaces) {
            if (iface.loopback()) {
                continue;
            }
            if (source != null && iface.address().equals(source)) {
                return iface;
            }
            if (first == null) {
                first = iface;
            }
        }
        return first;
    }

    private boolean sendVia(NetInterface iface, Ipv4Address source, Ipv4Address destination, Ipv4Address nextHop,
                            int protocol, int payloadLength, PayloadWriter writer) {
        if (protocol < 0 || protocol > 255) {
            throw new IllegalArgumentException("protocol must be in [0, 255]: " + protocol);
        }
        if (payloadLength < 0) {
            throw new IllegalArgumentException("payloadLength must be >= 0: " + payloadLength);
        }
        if (payloadLength > Ipv4Descriptor.MAX_TOTAL_LENGTH - HEADER_LENGTH) {
            counters.increment(IpCounter.IPV4_TOO_BIG);
            return false;
        }
        Ipv4Address from = source != null ? source : iface.address();
        int identification = nextIdentification++ & 0xFFFF;
        boolean broadcast = iface.isBroadcast(nextHop);
        counters.increment(IpCounter.IPV4_SENT);
        if (HEADER_LENGTH + payloadLength <= iface.mtu()) {
            MemorySegment segment = newFrame(iface, payloadLength, protocol);
            try {
                Ipv4Repr.emitHeader(ipv4View.wrap(segment, ETHERNET, HEADER_LENGTH + payloadLength), identification,
                        false, 0, settings.timeToLive(), protocol, from.value(), destination.value(), payloadLength);
                MemorySegment transport = frames.payloadOf(segment, ETHERNET + HEADER_LENGTH);
                boolean checksumByDevice = iface.device().transmitChecksumOffload()
                        && TransportChecksumOffload.checksumFieldOffset(protocol) >= 0;
                writer.write(transport, checksumByDevice);
                if (checksumByDevice) {
                    // Whatever the writer put there, the device gets the partial sum it completes.
                    TransportChecksumOffload.leavePartialChecksum(transport, protocol, from.value(),
                            destination.value());
                }
                return dispatch(iface, nextHop, broadcast, segment);
            } finally {
                frames.release(segment);
            }
        }
        // RFC 791 3.2 fragmentation: the data goes in pieces of a multiple of 8 bytes, each with
        // the header, its offset in 8-byte units, and MF set on all but the last.
        byte[] whole = new byte[payloadLength];
        writer.write(MemorySegment.ofArray(whole));
        int chunk = (iface.mtu() - HEADER_LENGTH) & ~7;
        boolean allSent = true;
        for (int offset = 0; offset < payloadLength; offset += chunk) {
            int length = Math.min(chunk, payloadLength - offset);
            boolean more = offset + length < payloadLength;
            MemorySegment segment = newFrame(iface, length, protocol);
            try {
                Ipv4Repr.emitHeader(ipv4View.wrap(segment, ETHERNET, HEADER_LENGTH + length), identification, more,
                        offset, settings.timeToLive(), protocol, from.value(), destination.value(), length);
                MemorySegment.copy(whole, offset, segment, ValueLayout.JAVA_BYTE, ETHERNET + HEADER_LENGTH, length);
                counters.increment(IpCounter.IPV4_FRAGMENTS_SENT);
                allSent &= dispatch(iface, nextHop, broadcast, segment);
            } finally {
                frames.release(segment);
            }
        }
        return allSent;
    }

    /**
     * A frame from the reused buffer with its Ethernet header written. TCP and UDP write every
     * byte of their datagram (header, options and their padding, data), so only the frames of
     * other protocols (ICMP, IGMP...) are cleared first.
     */
    private MemorySegment newFrame(NetInterface iface, int payloadLength, int protocol) {
        boolean writesEveryByte = protocol == IpProtocol.TCP || protocol == IpProtocol.UDP;
        MemorySegment frame = frames.acquire(ETHERNET + HEADER_LENGTH + payloadLength, !writesEveryByte);
        // The destination MAC is filled in by ARP (or is broadcast); the source is ours.
        iface.ethernetHeader().emit(ethernetView.wrap(frame, 0, ETHERNET));
        return frame;
    }

    private boolean dispatch(NetInterface iface, Ipv4Address nextHop, boolean broadcast, MemorySegment frame) {
        if (broadcast || iface.loopback()) {
            if (!iface.transmit(frame)) {
                counters.increment(IpCounter.IPV4_TX_REFUSED);
                return false;
            }
            return true;
        }
        return iface.arp().send(nextHop, frame, nowNanos);
    }

    private void requireOwn(NetInterface iface) {
        if (!interfaces.contains(iface)) {
            throw new IllegalArgumentException("not an interface of this stack: " + iface);
        }
    }
}
