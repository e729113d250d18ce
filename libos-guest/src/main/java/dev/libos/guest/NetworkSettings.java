package dev.libos.guest;

import dev.libos.net.host.Addressing;
import dev.libos.net.ip.Ipv4Subnet;
import dev.libos.net.wire.Ipv4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The guest's network settings, from {@code libos.net.*} system properties (the image goal puts
 * them on the kernel command line as {@code -D} words), validated once at boot: a malformed one
 * fails the boot with its name and value.
 *
 * @param address          {@value #ADDRESS}: fixed address and prefix ({@code 10.0.2.15/24}), or null for DHCP
 * @param gateway          {@value #GATEWAY}: default router of a fixed address, or null
 * @param dnsServers       {@value #DNS}: name servers, comma-separated; they replace DHCP's
 * @param mtu              {@value #MTU}: the NIC's MTU when below the device's, or 0 for the device's
 * @param dhcpWaitSeconds  {@value #DHCP_WAIT}: how long the boot waits for a DHCP lease before main starts without one
 */
record NetworkSettings(Addressing.Fixed address, List<InetAddress> dnsServers, int mtu, int dhcpWaitSeconds) {
    static final String ADDRESS = "libos.net.address";
    static final String GATEWAY = "libos.net.gateway";
    static final String DNS = "libos.net.dns";
    static final String MTU = "libos.net.mtu";
    static final String DHCP_WAIT = "libos.net.dhcpWaitSeconds";
    static final int DEFAULT_DHCP_WAIT_SECONDS = 30;

    /**
     * Reads and checks the settings.
     *
     * @throws IllegalArgumentException naming the first bad setting and its value
     */
    static NetworkSettings from(Properties properties) {
        String address = value(properties, ADDRESS);
        String gateway = value(properties, GATEWAY);
        Addressing.Fixed fixed = null;
        if (address != null) {
            fixed = fixed(address, gateway == null ? null : ipv4(GATEWAY, gateway));
        } else if (gateway != null) {
            throw new IllegalArgumentException(GATEWAY + "=" + gateway + " needs " + ADDRESS
                    + " (with DHCP the lease names the router)");
        }
        return new NetworkSettings(fixed, dnsServers(value(properties, DNS)),
                integer(properties, MTU, 0, 68, 65535), integer(properties, DHCP_WAIT, DEFAULT_DHCP_WAIT_SECONDS, 0, 3600));
    }

    private static Addressing.Fixed fixed(String text, Ipv4Address gateway) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException(ADDRESS + " must be ADDRESS/PREFIX, e.g. 10.0.2.15/24: '" + text + "'");
        }
        Ipv4Address address;
        try {
            address = ipv4(ADDRESS, text.substring(0, slash));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ADDRESS + " must be ADDRESS/PREFIX, e.g. 10.0.2.15/24: '" + text + "'", e);
        }
        int prefix;
        try {
            prefix = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(ADDRESS + ": the prefix length must be a number 1-32: '" + text + "'");
        }
        try {
            Addressing.Fixed fixed = new Addressing.Fixed(address, prefix, gateway);
            if (prefix < 31 && (address.equals(new Ipv4Subnet(address, prefix).network())
                    || address.equals(new Ipv4Subnet(address, prefix).broadcast()))) {
                throw new IllegalArgumentException("the network's or broadcast address names no host");
            }
            return fixed;
        } catch (IllegalArgumentException e) {
            String setting = e.getMessage().startsWith("gateway") ? GATEWAY : ADDRESS;
            throw new IllegalArgumentException(setting + ": " + e.getMessage() + " ('" + text
                    + (gateway == null ? "" : "', gateway '" + gateway) + "')", e);
        }
    }

    private static List<InetAddress> dnsServers(String text) {
        List<InetAddress> servers = new ArrayList<>();
        if (text == null) {
            return servers;
        }
        for (String part : text.split(",", -1)) {
            try {
                servers.add(inet(ipv4(DNS, part.trim())));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(DNS + " must be IPv4 addresses separated by commas, e.g. 10.0.2.3: '"
                        + text + "'", e);
            }
        }
        return servers;
    }

    private static Ipv4Address ipv4(String setting, String text) {
        try {
            Ipv4Address address = Ipv4Address.parse(text);
            if (address.value() == 0 || address.equals(Ipv4Address.BROADCAST)) {
                throw new IllegalArgumentException("not a host address: " + text);
            }
            return address;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(setting + " must be an IPv4 address like 10.0.2.2: '" + text + "'", e);
        }
    }

    private static int integer(Properties properties, String setting, int absent, int min, int max) {
        String text = value(properties, setting);
        if (text == null) {
            return absent;
        }
        try {
            int value = Integer.parseInt(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(setting + " must be a number " + min + "-" + max + ": '" + text + "'");
    }

    private static String value(Properties properties, String setting) {
        String text = properties.getProperty(setting);
        return text == null || text.isBlank() ? null : text.trim();
    }

    static InetAddress inet(Ipv4Address address) {
        int v = address.value();
        try {
            return InetAddress.getByAddress(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are an IPv4 address", e);
        }
    }
}
