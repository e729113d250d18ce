package dev.libos.net.wire;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Random valid reprs for property and fuzz tests; every field drawn over its whole range. */
final class RandomReprs {
    private final SplittableRandom random;

    RandomReprs(SplittableRandom random) {
        this.random = random;
    }

    MacAddress mac() {
        return new MacAddress(random.nextLong() & 0xFFFF_FFFF_FFFFL);
    }

    Ipv4Address ipv4Address() {
        return new Ipv4Address(random.nextInt());
    }

    int u16() {
        return random.nextInt(0x10000);
    }

    int u8() {
        return random.nextInt(0x100);
    }

    EthernetRepr ethernet(int etherType) {
        return new EthernetRepr(mac(), mac(), etherType);
    }

    ArpRepr arp() {
        return new ArpRepr(random.nextBoolean() ? ArpOperation.REQUEST : ArpOperation.REPLY, mac(), ipv4Address(),
                mac(), ipv4Address());
    }

    byte[] ipv4Options() {
        if (random.nextInt(4) != 0) {
            return new byte[0];
        }
        byte[] options = new byte[4 * random.nextInt(1, 11)];
        random.nextBytes(options);
        return options;
    }

    /** An IPv4 header; {@code fragment} decides whether it is a fragment. */
    Ipv4Repr ipv4(int protocol, int payloadLength, boolean fragment) {
        boolean moreFragments = fragment && random.nextBoolean();
        int fragmentOffsetBytes = fragment && !moreFragments ? 8 * random.nextInt(1, 0x2000) : 0;
        if (fragment && moreFragments && random.nextBoolean()) {
            fragmentOffsetBytes = 8 * random.nextInt(0x2000);
        }
        return new Ipv4Repr(random.nextInt(64), random.nextInt(4), u16(), !fragment && random.nextBoolean(),
                moreFragments, fragmentOffsetBytes, u8(), protocol, ipv4Address(), ipv4Address(), ipv4Options(),
                payloadLength);
    }

    IcmpRepr icmp(int payloadLength) {
        return switch (random.nextInt(5)) {
            case 0 -> new IcmpRepr.EchoRequest(u16(), u16(), payloadLength);
            case 1 -> new IcmpRepr.EchoReply(u16(), u16(), payloadLength);
            case 2 -> new IcmpRepr.DestinationUnreachable(u8(), u16(), payloadLength);
            case 3 -> new IcmpRepr.TimeExceeded(u8(), payloadLength);
            default -> {
                int type;
                do {
                    type = u8();
                } while (type == 0 || type == 3 || type == 8 || type == 11);
                yield new IcmpRepr.Other(type, u8(), random.nextInt(), payloadLength);
            }
        };
    }

    UdpRepr udp(int payloadLength) {
        return new UdpRepr(u16(), u16(), payloadLength);
    }

    /** Any combination of options, SACK blocks reduced until the set fits 40 bytes. */
    TcpOptions tcpOptions() {
        int mss = random.nextBoolean() ? u16() : TcpOptions.ABSENT;
        int windowScale = random.nextBoolean() ? u8() : TcpOptions.ABSENT;
        boolean sackPermitted = random.nextBoolean();
        TcpTimestamps timestamps = random.nextBoolean() ? new TcpTimestamps(random.nextInt(), random.nextInt()) : null;
        int blocks = random.nextInt(5);
        while (true) {
            List<SackBlock> list = new ArrayList<>();
            for (int i = 0; i < blocks; i++) {
                list.add(new SackBlock(random.nextInt(), random.nextInt()));
            }
            try {
                return new TcpOptions(mss, windowScale, sackPermitted, list, timestamps);
            } catch (IllegalArgumentException tooLong) {
                blocks--;
            }
        }
    }

    TcpRepr tcp(int payloadLength) {
        return new TcpRepr(u16(), u16(), random.nextInt(), random.nextInt(), u8(), u16(), u16(), tcpOptions(),
                payloadLength);
    }

    int payloadLength(int max) {
        // Mostly short payloads, sometimes long ones, sometimes empty.
        return switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> random.nextInt(Math.min(max, 1400) + 1);
            default -> random.nextInt(Math.min(max, 64) + 1);
        };
    }

    byte[] bytes(int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        return b;
    }
}
