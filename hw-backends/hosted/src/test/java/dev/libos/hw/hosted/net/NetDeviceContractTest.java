package dev.libos.hw.hosted.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.api.device.NetDevice;
import dev.libos.api.time.ManualClock;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link NetDevice} must do, whatever carries its frames (STYLE.md habit 6): each
 * device kind subclasses this with a few lines that connect two devices on a perfect wire.
 */
abstract class NetDeviceContractTest {
    /** Two connected devices and the clock that drives them. */
    record Pair(NetDevice sender, NetDevice receiver) {
    }

    protected final ManualClock clock = new ManualClock(1_000_000);
    private NetDevice sender;
    private NetDevice receiver;

    /** Connects two devices with no faults and no delay, on {@code clock}. */
    protected abstract Pair connect(ManualClock clock);

    @BeforeEach
    void setUp() {
        Pair pair = connect(clock);
        sender = pair.sender();
        receiver = pair.receiver();
    }

    @Test
    void deliversAFrameByteForByte() {
        byte[] frame = Frames.frame(Frames.mac(receiver), Frames.mac(sender), 7, 300);
        assertTrue(sender.transmit(MemorySegment.ofArray(frame)));
        List<byte[]> got = Frames.drain(receiver);
        assertEquals(1, got.size());
        assertArrayEquals(frame, got.get(0));
    }

    @Test
    void padsShortFramesWithZerosToSixtyBytes() {
        byte[] frame = Frames.frame(Frames.mac(receiver), Frames.mac(sender), 1, 20);
        assertTrue(sender.transmit(MemorySegment.ofArray(frame)));
        byte[] got = Frames.drain(receiver).get(0);
        assertEquals(60, got.length);
        assertArrayEquals(frame, Arrays.copyOf(got, 20));
        for (int i = 20; i < 60; i++) {
            assertEquals(0, got[i], "padding byte " + i);
        }
    }

    @Test
    void padsWithZerosAgainAfterALongerFrameOfTheSameBufferLength() {
        // 60 bytes, no padding, non-zero to the end; delivered, so its buffer may be reused.
        byte[] full = Frames.frame(Frames.mac(receiver), Frames.mac(sender), 2, 60);
        Arrays.fill(full, 18, 60, (byte) 0x7F);
        assertTrue(sender.transmit(MemorySegment.ofArray(full)));
        assertArrayEquals(full, Frames.drain(receiver).get(0));
        byte[] shortFrame = Frames.frame(Frames.mac(receiver), Frames.mac(sender), 3, 20);
        assertTrue(sender.transmit(MemorySegment.ofArray(shortFrame)));
        byte[] got = Frames.drain(receiver).get(0);
        assertArrayEquals(shortFrame, Arrays.copyOf(got, 20));
        for (int i = 20; i < 60; i++) {
            assertEquals(0, got[i], "padding byte " + i);
        }
    }

    @Test
    void framesOfOneLengthSentAfterOneAnotherArriveIntact() {
        // Each frame is delivered (and its buffer handed back) before the next one is sent.
        for (int i = 0; i < 20; i++) {
            byte[] frame = Frames.frame(Frames.mac(receiver), Frames.mac(sender), i, 1000);
            assertTrue(sender.transmit(MemorySegment.ofArray(frame)));
            List<byte[]> got = Frames.drain(receiver);
            assertEquals(1, got.size());
            assertArrayEquals(frame, got.get(0), "frame " + i);
        }
    }

    @Test
    void copiesTheFrameSoTheSenderMayReuseItsBuffer() {
        byte[] frame = Frames.frame(Frames.mac(receiver), Frames.mac(sender), 3, 100);
        byte[] original = frame.clone();
        assertTrue(sender.transmit(MemorySegment.ofArray(frame)));
        Arrays.fill(frame, 14, 100, (byte) 0x55);
        assertArrayEquals(original, Frames.drain(receiver).get(0));
    }

    @Test
    void receiveHonoursTheBudgetAndReturnsZeroWhenEmpty() {
        assertEquals(0, receiver.receive(f -> { }, 10));
        for (int i = 0; i < 5; i++) {
            assertTrue(Frames.send(sender, receiver, i, 64));
        }
        assertEquals(0, receiver.receive(f -> { }, 0));
        assertEquals(2, receiver.receive(f -> { }, 2));
        assertEquals(3, receiver.receive(f -> { }, 10));
        assertEquals(0, receiver.receive(f -> { }, 10));
        assertThrows(IllegalArgumentException.class, () -> receiver.receive(f -> { }, -1));
    }

    @Test
    void keepsTheOrderOfFramesOnAPerfectWire() {
        for (int i = 0; i < 100; i++) {
            assertTrue(Frames.send(sender, receiver, i, 60 + i));
        }
        List<byte[]> got = Frames.drain(receiver);
        assertEquals(100, got.size());
        for (int i = 0; i < 100; i++) {
            assertEquals(i, Frames.sequence(got.get(i)));
        }
    }

    @Test
    void refusesFramesOutsideHeaderToHeaderPlusMtu() {
        int max = 14 + sender.mtu();
        assertThrows(IllegalArgumentException.class, () -> sender.transmit(MemorySegment.ofArray(new byte[13])));
        assertThrows(IllegalArgumentException.class, () -> sender.transmit(MemorySegment.ofArray(new byte[max + 1])));
        assertTrue(Frames.send(sender, receiver, 1, max));
        assertEquals(max, Frames.drain(receiver).get(0).length);
    }

    @Test
    void reportsASixByteMacAsACopyAndAPlausibleMtu() {
        byte[] mac = sender.macAddress();
        assertEquals(6, mac.length);
        assertNotSame(mac, sender.macAddress());
        mac[0] ^= 1;
        assertTrue(sender.macAddress()[0] != mac[0]);
        assertTrue(sender.mtu() >= 68);
        assertTrue(sender.linkUp());
        assertTrue(!sender.name().isEmpty());
    }

    @Test
    void worksBothWays() {
        assertTrue(Frames.send(receiver, sender, 9, 80));
        List<byte[]> got = Frames.drain(sender);
        assertEquals(1, got.size());
        assertEquals(9, Frames.sequence(got.get(0)));
    }
}
