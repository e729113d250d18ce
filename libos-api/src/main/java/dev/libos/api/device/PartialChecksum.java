package dev.libos.api.device;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Software completion of a partial transport checksum, the fallback of
 * {@link NetDevice#transmit(MemorySegment, int, int)}: the Internet checksum (RFC 1071) of the
 * bytes from {@code checksumStart} to the end of the frame, whose checksum field already holds the
 * pseudo-header sum. A separate copy of the arithmetic in libos-net's {@code Checksum}, because
 * the SPI does not depend on the stack.
 */
final class PartialChecksum {
    static final ValueLayout.OfShort U16_BIG_ENDIAN = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private PartialChecksum() {
    }

    static void checkBounds(MemorySegment frame, int checksumStart, int checksumOffset) {
        if (checksumStart < 0 || checksumOffset < 0 || (long) checksumStart + checksumOffset + 2 > frame.byteSize()) {
            throw new IllegalArgumentException("checksum field at " + checksumStart + "+" + checksumOffset
                    + " is outside the " + frame.byteSize() + "-byte frame");
        }
    }

    /** The checksum of the bytes from {@code start} to the end, as the field value to store. */
    static short complete(MemorySegment frame, int start) {
        long sum = 0;
        long end = frame.byteSize();
        long p = start;
        for (; end - p >= 2; p += 2) {
            sum += Short.toUnsignedInt(frame.get(U16_BIG_ENDIAN, p));
        }
        if (p < end) {
            sum += Byte.toUnsignedInt(frame.get(ValueLayout.JAVA_BYTE, p)) << 8; // RFC 1071 4.1: odd byte, zero pad
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        int checksum = ~(int) sum & 0xFFFF;
        // A computed zero goes out as all ones (equal in ones' complement): for UDP, RFC 768
        // reserves zero for "no checksum"; for TCP either verifies.
        return (short) (checksum == 0 ? 0xFFFF : checksum);
    }
}
