package dev.libos.net.ip;

import dev.libos.api.device.NetDevice;
import dev.libos.net.ip.arp.ArpCache;
import dev.libos.net.ip.arp.ArpSettings;
import dev.libos.net.wire.EtherType;
import dev.libos.net.wire.EthernetRepr;
import dev.libos.net.wire.FrameParser;
import dev.libos.net.wire.Ipv4Address;
import dev.libos.net.wire.MacAddress;
import dev.libos.net.wire.WireCheck;
import dev.libos.net.wire.WireCounters;
import java.lang.foreign.MemorySegment;
import java.util.EnumMap;
import java.util.Map;

/**
 * An IPv4 interface over one {@link NetDevice}: its MAC, address and prefix, MTU, frame parser,
 * ARP cache and counters. Created by the stack ({@code NetStack.addInterface}); owned by the
 * stack's thread.
 */
public final class NetInterface {
    private final NetDevice device;
    private final MacAddress mac;
    private final int mtu;
    private final WireCounters wireCounters = new WireCounters();
    private final FrameParser parser = new FrameParser(wireCounters);
    private final ArpCache arp;
    private Ipv4Address address = Ipv4Address.UNSPECIFIED;
    private int prefixLength;
    /** The subnet and its directed broadcast, kept with the address: looked at for every datagram. */
    private Ipv4Subnet subnet = new Ipv4Subnet(Ipv4Address.UNSPECIFIED, 0);
    private Ipv4Address directedBroadcast = subnet.broadcast();
    /** The Ethernet header of every IPv4 frame sent here (ARP fills in the destination). */
    private final EthernetRepr ethernetHeader;
    private long framesIn;
    private long bytesIn;
    private long framesOut;
    private long bytesOut;
    private long txRefused;

    /** An unconfigured interface over {@code device}, counting IP/ARP events in {@code counters}. */
    public NetInterface(NetDevice device, ArpSettings arpSettings, Counters<IpCounter> counters) {
        if (device == null) {
            throw new IllegalArgumentException("device must not be null");
        }
        this.device = device;
        this.mac = MacAddress.of(device.macAddress());
        this.mtu = device.mtu();
        if (mtu < 68) {
            throw new IllegalArgumentException("device MTU below the IPv4 minimum of 68 (RFC 791): " + mtu);
        }
        this.arp = new ArpCache(this, arpSettings, counters);
        this.ethernetHeader = new EthernetRepr(MacAddress.BROADCAST, mac, EtherType.IPV4);
    }

    /** The device. */
    public NetDevice device() {
        return device;
    }

    /** Whether this is the loopback interface ({@link LoopbackDevice}): no ARP, every local address. */
    public boolean loopback() {
        return device instanceof LoopbackDevice;
    }

    /** The device name. */
    public String name() {
        return device.name();
    }

    /** The MAC address. */
    public MacAddress mac() {
        return mac;
    }

    /** Largest IPv4 datagram (header included) in one frame. */
    public int mtu() {
        return mtu;
    }

    /** The address, {@code 0.0.0.0} until configured. */
    public Ipv4Address address() {
        return address;
    }

    /** The prefix length of the address. */
    public int prefixLength() {
        return prefixLength;
    }

    /** True once an address is set. */
    public boolean configured() {
        return address.value() != 0;
    }

    /** The attached subnet (meaningless while unconfigured). */
    public Ipv4Subnet subnet() {
        return subnet;
    }

    /** The Ethernet header of an IPv4 frame from this interface, destination still broadcast. */
    EthernetRepr ethernetHeader() {
        return ethernetHeader;
    }

    /** The ARP cache. */
    public ArpCache arp() {
        return arp;
    }

    /** The parser of received frames. */
    public FrameParser parser() {
        return parser;
    }

    void setAddress(Ipv4Address newAddress, int newPrefixLength) {
        if (newPrefixLength < 0 || newPrefixLength > 32) {
            throw new IllegalArgumentException("prefixLength must be in [0, 32]: " + newPrefixLength);
        }
        this.address = newAddress;
        this.prefixLength = newPrefixLength;
        this.subnet = new Ipv4Subnet(newAddress, newPrefixLength);
        this.directedBroadcast = subnet.broadcast();
    }

    /**
     * True if a datagram for {@code destination} is for this interface: its address, the limited
     * broadcast, or the directed broadcast of its subnet (RFC 1122 3.3.6).
     */
    public boolean acceptsDestination(Ipv4Address destination) {
        if (destination.equals(Ipv4Address.BROADCAST)) {
            return true;
        }
        if (!configured()) {
            return false;
        }
        return destination.equals(address) || (prefixLength < 31 && destination.equals(directedBroadcast));
    }

    /** True for the limited broadcast or this subnet's directed broadcast. */
    public boolean isBroadcast(Ipv4Address destination) {
        return destination.equals(Ipv4Address.BROADCAST)
                || (configured() && prefixLength < 31 && destination.equals(directedBroadcast));
    }

    /** Counts a received frame. */
    public void countReceived(long bytes) {
        framesIn++;
        bytesIn += bytes;
    }

    /**
     * Transmits a complete frame, counting the outcome; false when the device refused it. An
     * unfragmented TCP or UDP datagram on a device with transmit checksum offload carries a
     * partial checksum and goes with its position ({@link TransportChecksumOffload}).
     */
    public boolean transmit(MemorySegment frame) {
        if (TransportChecksumOffload.transmit(device, frame)) {
            framesOut++;
            bytesOut += frame.byteSize();
            return true;
        }
        txRefused++;
        return false;
    }

    /** A snapshot of this interface's counters. */
    public InterfaceStats stats() {
        Map<WireCheck, Long> drops = new EnumMap<>(WireCheck.class);
        for (WireCheck reason : WireCheck.values()) {
            long n = wireCounters.drops(reason);
            if (n != 0) {
                drops.put(reason, n);
            }
        }
        return new InterfaceStats(name(), mac, address, prefixLength, framesIn, bytesIn, framesOut, bytesOut,
                txRefused, wireCounters.framesAccepted(), drops);
    }

    @Override
    public String toString() {
        return "NetInterface[" + name() + " " + mac + " " + address + "/" + prefixLength + "]";
    }
}
