package dev.libos.api.net;

import java.net.InetAddress;
import java.util.List;

/**
 * The network of one libos host as the OS brought it up at boot: its sockets, its interfaces and
 * its name servers. The boot hook that brings the network up (a NIC in a guest, a hosted LAN
 * hosted) installs it as the {@link SystemNetwork}; the JVM-wide socket factories, the name
 * resolver, {@code java.net.NetworkInterface} and {@code /proc} read it. Interfaces and name
 * servers may change while the host runs (a DHCP lease), so they are read at each call.
 */
public interface HostNetwork {
    /** The host's socket API. */
    Network sockets();

    /** The host's interfaces as they are now, loopback included, in index order. */
    List<InterfaceInfo> interfaces();

    /** The name servers to ask, in order (from DHCP or configuration); empty when none is known. */
    List<InetAddress> dnsServers();

    /**
     * How many TCP sockets listen on the host now: the application's servers. Boot keeps the
     * process running after main has returned while there are any (see {@code dev.libos.core.Boot}).
     */
    default int listeningSockets() {
        return 0;
    }

    /** Names with their addresses that the host resolves without asking a server (a hosts file). */
    default List<HostEntry> hosts() {
        return List.of();
    }

    /**
     * One interface: {@code hardwareAddress} is empty for loopback; {@code address} with
     * {@code prefixLength} is its IPv4 address, or null while it has none (DHCP not answered yet).
     */
    record InterfaceInfo(String name, int index, byte[] hardwareAddress, InetAddress address, int prefixLength,
            int mtu, boolean loopback, boolean up) {
        public InterfaceInfo {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("interface name must not be empty");
            }
            if (index < 1) {
                throw new IllegalArgumentException("interface " + name + ": index must be >= 1: " + index);
            }
            if (prefixLength < 0 || prefixLength > 32) {
                throw new IllegalArgumentException("interface " + name + ": prefix length must be 0-32: " + prefixLength);
            }
            if (mtu < 68) {
                throw new IllegalArgumentException("interface " + name + ": MTU must be >= 68: " + mtu);
            }
            hardwareAddress = hardwareAddress.clone();
        }

        @Override
        public byte[] hardwareAddress() {
            return hardwareAddress.clone();
        }
    }

    /** A name and its address, as a line of a hosts file gives them. */
    record HostEntry(String name, InetAddress address) {
    }
}
