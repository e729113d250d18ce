package dev.libos.net.wire;

/**
 * An IPv4 address as a 32-bit int, first octet highest (network order).
 *
 * @param value the address bits
 */
public record Ipv4Address(int value) {
    /** 0.0.0.0. */
    public static final Ipv4Address UNSPECIFIED = new Ipv4Address(0);
    /** 255.255.255.255, the limited broadcast address. */
    public static final Ipv4Address BROADCAST = new Ipv4Address(-1);

    /** The address {@code a.b.c.d}; each octet 0 to 255. */
    public static Ipv4Address of(int a, int b, int c, int d) {
        return new Ipv4Address((Bytes.requireU8("a", a) << 24) | (Bytes.requireU8("b", b) << 16)
                | (Bytes.requireU8("c", c) << 8) | Bytes.requireU8("d", d));
    }

    /** Parses dotted-quad text. */
    public static Ipv4Address parse(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + text);
        }
        int v = 0;
        for (String p : parts) {
            int octet;
            try {
                octet = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an IPv4 address: " + text, e);
            }
            v = (v << 8) | Bytes.requireU8("octet of " + text, octet);
        }
        return new Ipv4Address(v);
    }

    @Override
    public String toString() {
        return (value >>> 24) + "." + ((value >>> 16) & 0xFF) + "." + ((value >>> 8) & 0xFF) + "." + (value & 0xFF);
    }
}
