package dev.libos.hw.hosted.tap;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * The tun driver's ioctl numbers and the {@code struct ifreq} they take
 * ({@code linux/if_tun.h}, {@code linux/if.h}), as offsets over a 40-byte segment.
 *
 * <pre>
 *  0                 16        18                      40
 *  +-----------------+---------+-----------------------+
 *  | ifr_name[16]    | flags   | rest of the union     |
 *  | NUL-terminated  | (short) | (unused here)         |
 *  +-----------------+---------+-----------------------+
 * </pre>
 */
final class TunInterfaceRequest {
    /** {@code IFNAMSIZ}: the name field, including its terminating NUL. */
    static final int NAME_SIZE = 16;
    /** Offset of {@code ifr_flags} in the union after the name. */
    static final int FLAGS_OFFSET = 16;
    /** {@code sizeof(struct ifreq)} on 64-bit Linux. */
    static final int SIZE = 40;

    /** {@code _IOW('T', 202, int)}: attach the descriptor to a new or existing interface. */
    static final long TUNSETIFF = 0x400454CAL;
    /** {@code _IOW('T', 226, int)}: set the carrier (Linux 5.0 and later). */
    static final long TUNSETCARRIER = 0x400454E2L;

    /** An Ethernet (layer 2) device rather than a layer 3 TUN. */
    static final short IFF_TAP = 0x0002;
    /** No 4-byte packet information prefix before each frame. */
    static final short IFF_NO_PI = 0x1000;

    private TunInterfaceRequest() {
    }

    /** Writes {@code name} (NUL-terminated) and {@code flags} into a zeroed request. */
    static void encode(MemorySegment request, String name, short flags) {
        if (request.byteSize() < SIZE) {
            throw new IllegalArgumentException("ifreq needs " + SIZE + " bytes: " + request.byteSize());
        }
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length >= NAME_SIZE) {
            throw new IllegalArgumentException("interface name longer than " + (NAME_SIZE - 1) + " bytes: " + name);
        }
        request.asSlice(0, SIZE).fill((byte) 0);
        MemorySegment.copy(bytes, 0, request, ValueLayout.JAVA_BYTE, 0, bytes.length);
        request.set(ValueLayout.JAVA_SHORT_UNALIGNED, FLAGS_OFFSET, flags);
    }

    /** The name the kernel wrote back (it fills in a pattern such as {@code tap%d}). */
    static String decodeName(MemorySegment request) {
        int length = 0;
        while (length < NAME_SIZE && request.get(ValueLayout.JAVA_BYTE, length) != 0) {
            length++;
        }
        byte[] bytes = new byte[length];
        MemorySegment.copy(request, ValueLayout.JAVA_BYTE, 0, bytes, 0, length);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    /** The flags field. */
    static short flags(MemorySegment request) {
        return request.get(ValueLayout.JAVA_SHORT_UNALIGNED, FLAGS_OFFSET);
    }
}
