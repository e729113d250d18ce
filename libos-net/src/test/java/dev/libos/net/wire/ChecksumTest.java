package dev.libos.net.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChecksumTest {
    /** The reference: RFC 1071 section 4.1, a 16-bit word at a time. */
    private static int referenceChecksum(byte[] data, int from, int length) {
        long sum = 0;
        for (int i = 0; i + 1 < length; i += 2) {
            sum += ((data[from + i] & 0xFF) << 8) | (data[from + i + 1] & 0xFF);
        }
        if ((length & 1) != 0) {
            sum += (data[from + length - 1] & 0xFF) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) (~sum & 0xFFFF);
    }

    @Test
    void rfc1071ExampleSumsToDdf2() {
        // RFC 1071 section 3: the words 0001 f203 f4f5 f6f7 sum to ddf2 (ones' complement).
        MemorySegment data = Hex.segment("0001f203f4f5f6f7");
        assertEquals(0xddf2, Checksum.fold(Checksum.sum(data, 0, 8)));
        assertEquals(0x220d, Checksum.compute(data, 0, 8));
    }

    @Test
    void ipv4HeaderKnownVector() {
        // A well-known IPv4 header (192.168.0.1 > 192.168.0.199, UDP) with checksum b861.
        MemorySegment header = Hex.segment("4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7");
        assertTrue(Checksum.verifies(Checksum.sum(header, 0, 20)));
        header.set(Bytes.U16, 10, (short) 0);
        assertEquals(0xb861, Checksum.compute(header, 0, 20));
    }

    @Test
    void oddLengthPadsTheLastByteAsHighByte() {
        MemorySegment data = Hex.segment("0102 03");
        // 0x0102 + 0x0300 = 0x0402, complement 0xfbfd
        assertEquals(0xfbfd, Checksum.compute(data, 0, 3));
    }

    @Test
    void carriesFoldAroundForAllOnesData() {
        MemorySegment data = Hex.segment("ffff ffff ffff ffff ffff ffff ffff ffff ff");
        assertEquals(referenceChecksum(data.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), 0, 17),
                Checksum.compute(data, 0, 17));
        assertEquals(0xFFFF, Checksum.fold(0xFFFF_FFFF_FFFFL));
        // All-zero data has checksum ffff; a sum that folds to ffff ("negative zero") gives 0.
        assertEquals(0xFFFF, Checksum.finish(0));
        assertEquals(0, Checksum.finish(0xFFFF_0000L));
    }

    @Test
    void matchesTheWordAtATimeReferenceOnRandomData() {
        long seed = TestSeeds.seed("ChecksumTest.matchesTheWordAtATimeReferenceOnRandomData");
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 20_000; i++) {
            byte[] data = new byte[random.nextInt(1, 300)];
            random.nextBytes(data);
            if (random.nextInt(8) == 0) {
                java.util.Arrays.fill(data, (byte) 0xFF);
            }
            int from = random.nextInt(data.length);
            int length = random.nextInt(data.length - from + 1);
            assertEquals(referenceChecksum(data, from, length),
                    Checksum.compute(MemorySegment.ofArray(data), from, length),
                    "seed " + seed + " case " + i + " from " + from + " length " + length);
        }
    }

    @Test
    void incrementalUpdateMatchesRecomputation() {
        // RFC 1624: changing one 16-bit word (for instance TTL/protocol when forwarding).
        long seed = TestSeeds.seed("ChecksumTest.incrementalUpdateMatchesRecomputation");
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 20_000; i++) {
            byte[] data = new byte[2 * random.nextInt(4, 40)];
            random.nextBytes(data);
            MemorySegment segment = MemorySegment.ofArray(data);
            int checksum = Checksum.compute(segment, 0, data.length);
            int word = 2 * random.nextInt(data.length / 2);
            int oldWord = Bytes.u16(segment, word);
            int newWord = random.nextInt(8) == 0 ? 0 : random.nextInt(0x10000);
            Bytes.putU16(segment, word, newWord);
            int recomputed = Checksum.compute(segment, 0, data.length);
            int adjusted = Checksum.adjust(checksum, oldWord, newWord);
            // Equal unless the new data is all zeros (then +0 and -0 differ, RFC 1624 section 3);
            // with at least three other random words that does not happen (p < 2^-48).
            assertEquals(recomputed, adjusted, "seed " + seed + " case " + i);
        }
    }

    @Test
    void pseudoHeaderContributesAddressesProtocolAndLength() {
        MemorySegment pseudo = Hex.segment("0a00020f 0a000202 0006 002c");
        assertEquals(Checksum.fold(Checksum.sum(pseudo, 0, 12)),
                Checksum.fold(Checksum.pseudoHeaderSum(0x0a00020f, 0x0a000202, 6, 44)));
        assertFalse(Checksum.verifies(Checksum.pseudoHeaderSum(0x0a00020f, 0x0a000202, 6, 44)));
    }
}
