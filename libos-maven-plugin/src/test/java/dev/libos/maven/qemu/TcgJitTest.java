package dev.libos.maven.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.libos.maven.image.KernelCommandLine;
import org.junit.jupiter.api.Test;

class TcgJitTest {
    private static final String LINE = "console=ttyS0 quiet rdinit=/jvm/bin/java -- -XX:-UsePerfData -cp /app dev.libos.core.Boot";

    @Test
    void tcgGuestsCompileWithC1Only() {
        assertEquals("console=ttyS0 quiet rdinit=/jvm/bin/java -- -XX:TieredStopAtLevel=1 -XX:-UsePerfData -cp /app dev.libos.core.Boot",
                TcgJit.apply(LINE, false, true));
    }

    @Test
    void kvmGuestsAndTheSettingOffKeepTheLine() {
        assertEquals(LINE, TcgJit.apply(LINE, true, true));
        assertEquals(LINE, TcgJit.apply(LINE, false, false));
    }

    @Test
    void anImageThatChoseItsTiersKeepsThem() {
        String own = LINE.replace("-XX:-UsePerfData", "-XX:-UsePerfData -XX:TieredStopAtLevel=4");
        assertEquals(own, TcgJit.apply(own, false, true));
        String off = LINE.replace("-XX:-UsePerfData", "-XX:-TieredCompilation");
        assertEquals(off, TcgJit.apply(off, false, true));
    }

    @Test
    void aLineWithoutJvmWordsOrWithoutRoomIsLeftAlone() {
        assertEquals("console=ttyS0 quiet", TcgJit.apply("console=ttyS0 quiet", false, true));
        String full = LINE + " " + "x".repeat(KernelCommandLine.MAX_BYTES - 1 - LINE.length() - 1);
        assertEquals(KernelCommandLine.MAX_BYTES - 1, full.length());
        assertEquals(full, TcgJit.apply(full, false, true));
    }
}
