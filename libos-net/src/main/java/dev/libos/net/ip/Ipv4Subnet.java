package dev.libos.net.ip;

import dev.libos.net.wire.Ipv4Address;

/**
 * An IPv4 prefix: the network address with its length ({@code 10.0.0.0/8}). The address is
 * stored with its host bits cleared.
 *
 * @param network      the network address, host bits zero
 * @param prefixLength 0 to 32
 */
public record Ipv4Subnet(Ipv4Address network, int prefixLength) {
    /** 0.0.0.0/0: every address. */
    public static final Ipv4Subnet ANY = new Ipv4Subnet(Ipv4Address.UNSPECIFIED, 0);

    /** Validates the length and clears the host bits. */
    public Ipv4Subnet {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefixLength must be in [0, 32]: " + prefixLength);
        }
        if (network == null) {
            throw new IllegalArgumentException("network must not be null");
        }
        network = new Ipv4Address(network.value() & mask(prefixLength));
    }

    /** Parses {@code a.b.c.d/n}. */
    public static Ipv4Subnet parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not a prefix (a.b.c.d/n): " + text);
        }
        try {
            return new Ipv4Subnet(Ipv4Address.parse(text.substring(0, slash)),
                    Integer.parseInt(text.substring(slash + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a prefix (a.b.c.d/n): " + text, e);
        }
    }

    /** The netmask of a prefix length, as an int (0 for /0). */
    public static int mask(int prefixLength) {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    /** True if {@code address} is inside this prefix. */
    public boolean contains(Ipv4Address address) {
        return (address.value() & mask(prefixLength)) == network.value();
    }

    /** The directed broadcast address (all host bits set); meaningful below /31. */
    public Ipv4Address broadcast() {
        return new Ipv4Address(network.value() | ~mask(prefixLength));
    }

    @Override
    public String toString() {
        return network + "/" + prefixLength;
    }
}
