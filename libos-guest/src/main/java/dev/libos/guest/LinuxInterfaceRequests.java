package dev.libos.guest;

import dev.libos.net.host.Addressing;
import dev.libos.net.wire.Ipv4Address;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The structures Linux's interface and route ioctls take (netdevice(7), route(8)'s
 * {@code SIOCADDRT}), as bytes laid out for x86-64: {@link LinuxNetworkUp} passes them to
 * {@code ioctl}. Kept apart from the calls so the layouts can be checked without a kernel.
 */
final class LinuxInterfaceRequests {
    static final int AF_INET = 2;
    /** struct ifreq: char ifr_name[IFNAMSIZ = 16], then a 24-byte union (sockaddr, or short ifr_flags). */
    static final int IFREQ_BYTES = 40;
    static final int IFNAMSIZ = 16;
    /** struct rtentry on LP64: rt_pad1 (8), rt_dst, rt_gateway, rt_genmask (16 each), rt_flags at 56, ... rt_irtt at 112. */
    static final int RTENTRY_BYTES = 120;
    static final int RT_DST = 8;
    static final int RT_GATEWAY = 24;
    static final int RT_GENMASK = 40;
    static final int RT_FLAGS = 56;
    static final short RTF_UP = 0x1;
    static final short RTF_GATEWAY = 0x2;

    private LinuxInterfaceRequests() {
    }

    /** An ifreq naming {@code name} whose union holds a sockaddr_in of {@code address} (SIOCSIFADDR, SIOCSIFNETMASK). */
    static byte[] withAddress(String name, Ipv4Address address) {
        ByteBuffer ifreq = named(name);
        sockaddrIn(ifreq, IFNAMSIZ, address);
        return ifreq.array();
    }

    /** An ifreq naming {@code name} with {@code ifr_flags} set (SIOCSIFFLAGS). */
    static byte[] withFlags(String name, short flags) {
        ByteBuffer ifreq = named(name);
        ifreq.putShort(IFNAMSIZ, flags);
        return ifreq.array();
    }

    /** The netmask of a prefix length: /24 is 255.255.255.0. */
    static Ipv4Address netmask(int prefixLength) {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length must be 0-32: " + prefixLength);
        }
        return new Ipv4Address(prefixLength == 0 ? 0 : -1 << (32 - prefixLength));
    }

    /** A default route (0.0.0.0/0) through {@code gateway} (SIOCADDRT). */
    static byte[] defaultRoute(Ipv4Address gateway) {
        ByteBuffer route = ByteBuffer.allocate(RTENTRY_BYTES).order(ByteOrder.nativeOrder());
        sockaddrIn(route, RT_DST, Ipv4Address.UNSPECIFIED);
        sockaddrIn(route, RT_GATEWAY, gateway);
        sockaddrIn(route, RT_GENMASK, Ipv4Address.UNSPECIFIED);
        route.putShort(RT_FLAGS, (short) (RTF_UP | RTF_GATEWAY));
        return route.array();
    }

    /** The address of a fixed setting or, without one, QEMU's usual guest address 10.0.2.15/24 via 10.0.2.2. */
    static Addressing.Fixed addressOrDefault(Addressing.Fixed configured) {
        return configured != null ? configured
                : new Addressing.Fixed(Ipv4Address.of(10, 0, 2, 15), 24, Ipv4Address.of(10, 0, 2, 2));
    }

    private static ByteBuffer named(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length == 0 || bytes.length >= IFNAMSIZ) {
            throw new IllegalArgumentException("interface name must be 1-15 characters: '" + name + "'");
        }
        ByteBuffer ifreq = ByteBuffer.allocate(IFREQ_BYTES).order(ByteOrder.nativeOrder());
        ifreq.put(0, bytes);
        return ifreq;
    }

    /** struct sockaddr_in: sin_family (host order), sin_port 0, sin_addr in network order, 8 zero bytes. */
    private static void sockaddrIn(ByteBuffer into, int offset, Ipv4Address address) {
        into.putShort(offset, (short) AF_INET);
        into.order(ByteOrder.BIG_ENDIAN).putInt(offset + 4, address.value()).order(ByteOrder.nativeOrder());
    }
}
