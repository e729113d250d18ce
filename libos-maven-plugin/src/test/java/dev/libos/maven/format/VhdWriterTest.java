package dev.libos.maven.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class VhdWriterTest {
    @Test
    void theFooterChecksumIsTheOnesComplementOfItsOtherBytes() {
        byte[] footer = VhdWriter.footer(71L << 20, new byte[32]);
        int sum = 0;
        for (int i = 0; i < footer.length; i++) {
            sum += i >= 64 && i < 68 ? 0 : footer[i] & 0xff;
        }
        assertEquals(~sum, ByteBuffer.wrap(footer).getInt(64));
        assertEquals("conectix", new String(footer, 0, 8, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(71L << 20, ByteBuffer.wrap(footer).getLong(48));
        assertEquals(0, ByteBuffer.wrap(footer).getInt(24), "timestamp fixed");
    }

    @Test
    void geometryFollowsTheSpecsAlgorithm() {
        // 71 MiB: 145408 sectors -> 17 sectors/track, 9 heads, 950 cylinders (what qemu-img derives too).
        assertEquals(950 << 16 | 9 << 8 | 17, VhdWriter.geometry(71L << 20));
        // The maximum: 65535 cylinders, 16 heads, 255 sectors.
        assertEquals(65535 << 16 | 16 << 8 | 255, VhdWriter.geometry(1L << 42));
    }

    @Test
    void theVirtualSizeIsRoundedUpToAWholeMebibyte() {
        assertEquals(1 << 20, VhdWriter.virtualSize(512));
        assertEquals(2 << 20, VhdWriter.virtualSize((1 << 20) + 512));
        assertEquals(1 << 20, VhdWriter.virtualSize(1 << 20));
    }
}
