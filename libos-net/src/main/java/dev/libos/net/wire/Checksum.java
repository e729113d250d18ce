package dev.libos.net.wire;

import java.lang.foreign.MemorySegment;

/**
 * The Internet checksum (RFC 1071): the 16-bit ones' complement of the ones' complement sum of
 * the data taken as big-endian 16-bit words, an odd trailing byte padded with a zero byte.
 *
 * <p>Sums are kept unfolded in a {@code long} accumulator so partial sums (a pseudo-header and
 * a segment) are simply added, then {@link #finish(long) finished} once. Because
 * 2^16 = 1 (mod 2^16 - 1), adding 32-bit or 64-bit big-endian chunks and folding the carries
 * back in at the end gives the same result as adding 16-bit words (RFC 1071 section 2(B),
 * "parallel summation"); {@link #sum} therefore reads 8 bytes at a time.
 */
public final class Checksum {
    private Checksum() {
    }

    /**
     * Adds {@code length} bytes at {@code position} to nothing and returns the unfolded sum.
     * The first byte is taken as the high byte of a 16-bit word, so a region must start at an
     * even distance from the start of the checksummed data. Each 8-byte step adds at most
     * 2^33 to the accumulator, so it cannot overflow for any segment below 2^30 GiB.
     */
    public static long sum(MemorySegment segment, long position, long length) {
        long acc = 0;
        long p = position;
        long end = position + length;
        while (end - p >= 8) {
            long v = segment.get(Bytes.U64, p);
            acc += (v >>> 32) + (v & 0xFFFF_FFFFL);
            p += 8;
        }
        if (end - p >= 4) {
            acc += segment.get(Bytes.U32, p) & 0xFFFF_FFFFL;
            p += 4;
        }
        if (end - p >= 2) {
            acc += Bytes.u16(segment, p);
            p += 2;
        }
        if (p < end) {
            // RFC 1071 section 4.1: an odd last byte is the high byte of a word padded with zero.
            acc += (long) Bytes.u8(segment, p) << 8;
        }
        return acc;
    }

    /** The unfolded sum of the IPv4 pseudo-header of UDP (RFC 768) and TCP (RFC 9293 section 3.1). */
    public static long pseudoHeaderSum(int sourceAddress, int destinationAddress, int protocol, int length) {
        // Pseudo-header: source address, destination address, zero, protocol, TCP/UDP length.
        return (sourceAddress & 0xFFFF_FFFFL) + (destinationAddress & 0xFFFF_FFFFL) + protocol + length;
    }

    /**
     * The unfolded sum of a UDP datagram or TCP segment of {@code length} bytes at
     * {@code position} together with its IPv4 pseudo-header.
     */
    static long transportSum(MemorySegment segment, long position, int length, int sourceAddress,
                             int destinationAddress, int protocol) {
        return pseudoHeaderSum(sourceAddress, destinationAddress, protocol, length) + sum(segment, position, length);
    }

    /** Folds the carries of an unfolded sum into 16 bits: the ones' complement sum. */
    public static int fold(long sum) {
        long s = (sum & 0xFFFF_FFFFL) + (sum >>> 32);
        s = (s & 0xFFFF) + (s >>> 16);
        s = (s & 0xFFFF) + (s >>> 16);
        s = (s & 0xFFFF) + (s >>> 16);
        return (int) s;
    }

    /** The checksum field value for an unfolded sum: the complement of the folded sum. */
    public static int finish(long sum) {
        return ~fold(sum) & 0xFFFF;
    }

    /** The checksum of {@code length} bytes at {@code position}. */
    public static int compute(MemorySegment segment, long position, long length) {
        return finish(sum(segment, position, length));
    }

    /**
     * True when data that includes its own checksum field sums to all ones (the receiver's
     * check of RFC 1071 section 1), i.e. {@code finish(sum) == 0}.
     */
    public static boolean verifies(long sum) {
        return fold(sum) == 0xFFFF;
    }

    /**
     * Incrementally updates a checksum when one 16-bit word of the data changes from
     * {@code oldWord} to {@code newWord}: RFC 1624 equation 3, HC' = ~(~HC + ~m + m').
     */
    public static int adjust(int checksum, int oldWord, int newWord) {
        long sum = (~checksum & 0xFFFF) + (~oldWord & 0xFFFF) + (newWord & 0xFFFF);
        return finish(sum);
    }
}
