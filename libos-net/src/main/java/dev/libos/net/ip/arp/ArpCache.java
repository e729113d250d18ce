package dev.libos.net.ip.arp;

import dev.libos.net.ip.Counters;
import dev.libos.net.ip.IpCounter;
import dev.libos.net.ip.NetInterface;
import dev.libos.net.wire.ArpOperation;
import dev.libos.net.wire.ArpPacket;
import dev.libos.net.wire.ArpRepr;
import dev.libos.net.wire.EtherType;
import dev.libos.net.wire.EthernetFrame;
import dev.libos.net.wire.EthernetRepr;
import dev.libos.net.wire.Ipv4Address;
import dev.libos.net.wire.MacAddress;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import org.agrona.collections.Int2ObjectHashMap;

/**
 * The ARP cache of one interface (RFC 826): resolves next-hop addresses to MACs, queues a few
 * packets per address while it resolves, answers requests for the interface's address, and
 * learns from the packets it sees. Time is passed in: {@link #send} and {@link #onArp} take
 * the time, {@link #poll} retries requests and expires entries. Owned by the stack's thread.
 *
 * <p>Frames handed to {@link #send} are complete Ethernet frames whose destination MAC is
 * filled in here; the cache keeps the array while the address is unresolved.
 */
public final class ArpCache {
    private static final int FRAME_LENGTH = 14 + 28;

    private static final class Entry {
        MacAddress mac;
        boolean resolved;
        /** When {@link #mac} was last set to a different address (for {@link ArpSettings#lockNanos()}). */
        long changedAtNanos;
        long expiresAtNanos;
        int requestsSent;
        long nextRequestNanos;
        final ArrayDeque<byte[]> queue = new ArrayDeque<>(2);
    }

    private final NetInterface iface;
    private final ArpSettings settings;
    private final Counters<IpCounter> counters;
    /** By IPv4 address: looked up per outgoing datagram, so keyed by the int without boxing (Agrona). */
    private final Int2ObjectHashMap<Entry> entries = new Int2ObjectHashMap<>();
    private final EthernetFrame ethernetView = new EthernetFrame();
    private final ArpPacket arpView = new ArpPacket();
    private long nextDeadlineNanos = Long.MAX_VALUE;

    /** A cache for {@code iface}. */
    public ArpCache(NetInterface iface, ArpSettings settings, Counters<IpCounter> counters) {
        if (iface == null || settings == null || counters == null) {
            throw new IllegalArgumentException("iface, settings and counters must not be null");
        }
        this.iface = iface;
        this.settings = settings;
        this.counters = counters;
    }

    /** The resolved MAC of {@code address} at {@code nowNanos}, or null. */
    public MacAddress lookup(Ipv4Address address, long nowNanos) {
        Entry entry = entries.get(address.value());
        return entry != null && entry.resolved && nowNanos < entry.expiresAtNanos ? entry.mac : null;
    }

    /** Entries, resolved and pending. */
    public int size() {
        return entries.size();
    }

    /**
     * Sends {@code frame} to {@code nextHop}: at once if its MAC is known, otherwise after
     * resolution (a request goes out now if none is outstanding).
     *
     * @return false when the frame was dropped (queue or cache full, or the device refused it)
     */
    public boolean send(Ipv4Address nextHop, MemorySegment frame, long nowNanos) {
        Entry entry = entries.get(nextHop.value());
        if (entry != null && entry.resolved) {
            if (nowNanos < entry.expiresAtNanos) {
                return transmitTo(entry.mac, frame);
            }
            // Expired: resolve afresh, queueing this packet meanwhile.
            counters.increment(IpCounter.ARP_EXPIRED);
            entries.remove(nextHop.value());
            entry = null;
        }
        if (entry == null) {
            entry = newEntry(nextHop.value(), nowNanos);
            if (entry == null) {
                counters.increment(IpCounter.ARP_CACHE_FULL);
                return false;
            }
            entry.requestsSent = 1;
            entry.nextRequestNanos = nowNanos + settings.retryIntervalNanos();
            noteDeadline(entry.nextRequestNanos);
            sendRequest(nextHop);
        }
        if (entry.queue.size() >= settings.maxQueuedPerAddress()) {
            counters.increment(IpCounter.ARP_QUEUE_OVERFLOW);
            return false;
        }
        // The caller reuses its buffer once this returns: a queued frame is a copy (rare: ARP pending).
        entry.queue.add(frame.toArray(ValueLayout.JAVA_BYTE));
        return true;
    }

    /**
     * Handles a received ARP packet with RFC 826's "Packet Reception" algorithm: update the
     * sender's entry if there is one (the merge flag); if the packet is for us, add the sender
     * when it was not merged and answer a request.
     */
    public void onArp(EthernetRepr ethernet, ArpRepr arp, long nowNanos) {
        counters.increment(arp.operation() == ArpOperation.REQUEST
                ? IpCounter.ARP_REQUESTS_RECEIVED : IpCounter.ARP_REPLIES_RECEIVED);
        if (!iface.configured() || arp.senderMac().equals(iface.mac()) || arp.senderMac().isMulticast()) {
            counters.increment(IpCounter.ARP_IGNORED);
            return;
        }
        Ipv4Address me = iface.address();
        if (arp.senderIp().equals(me)) {
            // Another host claims our address (RFC 5227 section 2.4): never learn or answer it.
            counters.increment(IpCounter.ARP_ADDRESS_CONFLICT);
            return;
        }
        if (arp.senderIp().equals(arp.targetIp())) {
            // Gratuitous ARP: an announcement, not a question; it refreshes an existing entry only.
            counters.increment(IpCounter.ARP_GRATUITOUS);
        }
        boolean learnable = isUnicastHost(arp.senderIp());
        boolean merged = false;
        Entry entry = learnable ? entries.get(arp.senderIp().value()) : null;
        if (entry != null) {
            if (changeLocked(entry, arp.senderMac(), nowNanos)) {
                counters.increment(IpCounter.ARP_CHANGE_REFUSED);
                return;
            }
            resolve(entry, arp.senderMac(), nowNanos);
            merged = true;
        }
        if (!arp.targetIp().equals(me)) {
            return;
        }
        if (!merged && learnable) {
            Entry added = newEntry(arp.senderIp().value(), nowNanos);
            if (added == null) {
                counters.increment(IpCounter.ARP_CACHE_FULL);
            } else {
                resolve(added, arp.senderMac(), nowNanos);
            }
        }
        if (arp.operation() == ArpOperation.REQUEST) {
            // RFC 826: swap sender and target, put in our addresses, answer to the requester's MAC.
            sendArp(arp.senderMac(), new ArpRepr(ArpOperation.REPLY, iface.mac(), me, arp.senderMac(), arp.senderIp()));
            counters.increment(IpCounter.ARP_REPLIES_SENT);
        }
    }

    /** Announces the interface's address with a gratuitous ARP request (RFC 5227 section 2.3). */
    public void announce() {
        if (iface.configured()) {
            sendArp(MacAddress.BROADCAST, new ArpRepr(ArpOperation.REQUEST, iface.mac(), iface.address(),
                    MacAddress.ZERO, iface.address()));
            counters.increment(IpCounter.ARP_REQUESTS_SENT);
        }
    }

    /** Retries requests that are due, gives up on unanswered ones, expires old entries. */
    public void poll(long nowNanos) {
        if (nowNanos < nextDeadlineNanos) {
            return;
        }
        long next = Long.MAX_VALUE;
        // Agrona's iterator is the map's own (no allocation): poll must not run inside this loop.
        for (Int2ObjectHashMap<Entry>.EntryIterator it = entries.entrySet().iterator(); it.hasNext(); ) {
            it.next();
            Entry entry = it.getValue();
            if (entry.resolved) {
                if (nowNanos >= entry.expiresAtNanos) {
                    counters.increment(IpCounter.ARP_EXPIRED);
                    it.remove();
                    continue;
                }
                next = Math.min(next, entry.expiresAtNanos);
            } else {
                if (nowNanos >= entry.nextRequestNanos) {
                    if (entry.requestsSent >= settings.maxRequests()) {
                        counters.add(IpCounter.ARP_UNRESOLVED, entry.queue.size());
                        it.remove();
                        continue;
                    }
                    entry.requestsSent++;
                    entry.nextRequestNanos = nowNanos + settings.retryIntervalNanos();
                    sendRequest(new Ipv4Address(it.getIntKey()));
                }
                next = Math.min(next, entry.nextRequestNanos);
            }
        }
        nextDeadlineNanos = next;
    }

    /**
     * When {@link #poll} next has work (a request to retry or give up on, an entry to expire), or
     * {@link Long#MAX_VALUE}: a caller that sleeps until then misses no retry. May be earlier than
     * needed (an entry removed since), never later.
     */
    public long nextDeadlineNanos() {
        return nextDeadlineNanos;
    }

    /** Forgets every entry and queued packet (the address changed). */
    public void clear() {
        entries.clear();
        nextDeadlineNanos = Long.MAX_VALUE;
    }

    private Entry newEntry(int address, long nowNanos) {
        if (entries.size() >= settings.maxEntries()) {
            nextDeadlineNanos = Math.min(nextDeadlineNanos, nowNanos);
            poll(nowNanos); // frees expired entries if any
            if (entries.size() >= settings.maxEntries()) {
                return null;
            }
        }
        Entry entry = new Entry();
        entries.put(address, entry);
        return entry;
    }

    /**
     * Whether a packet would give a freshly resolved entry another MAC. ARP carries no checksum:
     * a bit flipped past the link's frame check (or a spoofed packet) right after resolution
     * would otherwise redirect all traffic to that address until the entry expires (a faulty-link
     * simulation did exactly that: a REPLY whose sender MAC and target address were both
     * corrupted). Like Linux's neighbour {@code locktime}, a different address is taken only once
     * the entry's current one is {@link ArpSettings#lockNanos()} old; a host that really moved
     * repeats its announcement (RFC 5227 section 2.4 sends two, 2 s apart) and is then believed.
     */
    private boolean changeLocked(Entry entry, MacAddress mac, long nowNanos) {
        return entry.resolved && !mac.equals(entry.mac) && nowNanos - entry.changedAtNanos < settings.lockNanos();
    }

    private void resolve(Entry entry, MacAddress mac, long nowNanos) {
        if (!entry.resolved || !mac.equals(entry.mac)) {
            entry.changedAtNanos = nowNanos;
        }
        entry.mac = mac;
        entry.resolved = true;
        entry.expiresAtNanos = nowNanos + settings.entryLifetimeNanos();
        noteDeadline(entry.expiresAtNanos);
        byte[] frame;
        while ((frame = entry.queue.poll()) != null) {
            transmitTo(mac, MemorySegment.ofArray(frame));
        }
    }

    private void noteDeadline(long deadlineNanos) {
        nextDeadlineNanos = Math.min(nextDeadlineNanos, deadlineNanos);
    }

    private boolean transmitTo(MacAddress mac, MemorySegment frame) {
        long value = mac.value();
        for (int i = 0; i < 6; i++) {
            frame.set(ValueLayout.JAVA_BYTE, i, (byte) (value >>> (40 - 8 * i)));
        }
        if (!iface.transmit(frame)) {
            counters.increment(IpCounter.IPV4_TX_REFUSED);
            return false;
        }
        return true;
    }

    private void sendRequest(Ipv4Address target) {
        sendArp(MacAddress.BROADCAST, new ArpRepr(ArpOperation.REQUEST, iface.mac(), iface.address(),
                MacAddress.ZERO, target));
        counters.increment(IpCounter.ARP_REQUESTS_SENT);
    }

    private void sendArp(MacAddress destination, ArpRepr arp) {
        byte[] frame = new byte[FRAME_LENGTH];
        MemorySegment segment = MemorySegment.ofArray(frame);
        new EthernetRepr(destination, iface.mac(), EtherType.ARP).emit(ethernetView.wrap(segment, 0, FRAME_LENGTH));
        arp.emit(arpView.wrap(segment, 14, 28));
        iface.transmit(segment);
    }

    private static boolean isUnicastHost(Ipv4Address address) {
        int v = address.value();
        return v != 0 && v != -1 && (v >>> 28) != 0xE;
    }
}
