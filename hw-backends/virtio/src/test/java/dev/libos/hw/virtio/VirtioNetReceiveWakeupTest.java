package dev.libos.hw.virtio;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The NAPI pattern of {@link VirtioNetDevice} against the in-memory device model: receive
 * notifications are off while the poller finds frames, armed before it sleeps, and a frame that
 * arrived while they were off is found when arming (the race of VIRTIO 1.2 section 2.7.10),
 * with EVENT_IDX (used_event) and without it (VIRTQ_AVAIL_F_NO_INTERRUPT).
 */
class VirtioNetReceiveWakeupTest {
    private static final byte[] MAC = {0x52, 0x54, 0, 0x12, 0x34, 0x56};
    private final FakeVirtioTransport transport = new FakeVirtioTransport();
    private final ArenaDmaMemory memory = new ArenaDmaMemory();
    private VirtioNetDevice device;
    private VirtqueueDeviceModel rx;

    @AfterEach
    void close() {
        if (device != null) {
            device.close();
        }
        memory.close();
    }

    private void open(boolean eventIndex) throws IOException {
        transport.offeredFeatures = VirtioFeatures.VERSION_1 | VirtioFeatures.NET_MAC
                | (eventIndex ? VirtioFeatures.RING_EVENT_IDX : 0);
        transport.config.put(0, MAC);
        device = VirtioNetDevice.open("vnet0", transport, memory, 8, MAC);
        var setup = transport.queues.get(VirtioNetConfig.RECEIVE_QUEUE);
        int size = setup.size();
        rx = new VirtqueueDeviceModel(size,
                MemorySegment.ofAddress(setup.descriptorTable()).reinterpret(VirtqueueDescriptor.descriptorTableBytes(size)),
                MemorySegment.ofAddress(setup.availRing()).reinterpret(VirtqueueDescriptor.availRingBytes(size)),
                MemorySegment.ofAddress(setup.usedRing()).reinterpret(VirtqueueDescriptor.usedRingBytes(size)), eventIndex);
    }

    /** The device puts one 60-byte frame in the next receive buffer; true when it would interrupt. */
    private boolean frameArrives() {
        var chain = rx.pop();
        assertNotNull(chain, "driver posted a receive buffer");
        byte[] withHeader = new byte[VirtioNetHeader.LENGTH + 60];
        withHeader[VirtioNetHeader.NUM_BUFFERS_OFFSET] = 1;
        return rx.complete(chain, chain.write(withHeader));
    }

    private int poll() {
        return device.receive(frame -> { }, 64);
    }

    @ParameterizedTest(name = "eventIndex={0}")
    @ValueSource(booleans = {true, false})
    void withoutInterruptsTheDeviceIsPolledAndNeverAsksForOne(boolean eventIndex) throws IOException {
        open(eventIndex);
        assertFalse(device.receiveWakeupSupported());
        assertFalse(device.armReceiveWakeup(), "nothing to arm");
        assertFalse(frameArrives(), "poll mode: notifications stay off");
        assertEquals(1, poll());
        assertEquals(0, device.counters().receiveArms());
    }

    @ParameterizedTest(name = "eventIndex={0}")
    @ValueSource(booleans = {true, false})
    void notificationsAreOffWhilePollingAndArmedBeforeSleeping(boolean eventIndex) throws IOException {
        open(eventIndex);
        AtomicInteger wakeups = new AtomicInteger();
        device.setReceiveListener(wakeups::incrementAndGet);
        Runnable interrupt = device.useInterrupts();
        assertFalse(device.receiveWakeupSupported(), "not before an interrupt has arrived");

        assertEquals(0, poll());
        assertFalse(device.armReceiveWakeup(), "nothing waiting: the poller may sleep");
        assertTrue(frameArrives(), "armed: the device interrupts for the next frame");
        interrupt.run();
        assertEquals(1, wakeups.get(), "the interrupt wakes the poller");
        assertTrue(device.receiveWakeupSupported(), "interrupts proved: the poller may sleep on them");
        assertEquals(2, transport.interruptStatusReads, "and is acknowledged by reading the ISR status (once before, to start clean)");

        assertEquals(1, poll());
        assertFalse(frameArrives(), "polling again: notifications are suppressed");
        assertFalse(frameArrives());
        assertEquals(2, poll());
        assertFalse(frameArrives(), "still suppressed until the poller goes idle");
        assertEquals(1, poll());
        assertEquals(0, poll());
        assertFalse(device.armReceiveWakeup());
        assertTrue(frameArrives(), "re-armed");
        assertEquals(2, device.counters().receiveArms());
    }

    @ParameterizedTest(name = "eventIndex={0}")
    @ValueSource(booleans = {true, false})
    void aFrameThatArrivedWhileSuppressedIsFoundWhenArming(boolean eventIndex) throws IOException {
        open(eventIndex);
        device.useInterrupts();
        assertFalse(device.armReceiveWakeup());
        assertTrue(frameArrives());
        assertEquals(1, poll()); // suppressed from here
        assertEquals(0, poll());
        // The last empty poll and the arm race with the device: this frame comes between them,
        // while notifications are off, so no interrupt announces it.
        assertFalse(frameArrives(), "no interrupt while suppressed");
        assertTrue(device.armReceiveWakeup(), "arming looks at the ring again: poll, do not sleep");
        assertEquals(1, poll());
    }

    @ParameterizedTest(name = "eventIndex={0}")
    @ValueSource(booleans = {true, false})
    void lostInterruptsFallBackToPollingAndWakeThePollerOnce(boolean eventIndex) throws IOException {
        open(eventIndex);
        AtomicInteger wakeups = new AtomicInteger();
        device.setReceiveListener(wakeups::incrementAndGet);
        device.useInterrupts().run();
        assertTrue(device.receiveWakeupSupported());
        device.interruptsLost();
        assertFalse(device.receiveWakeupSupported(), "the poller must poll periodically again");
        assertEquals(2, wakeups.get(), "a poller asleep on the lost interrupt is woken");
        assertFalse(device.armReceiveWakeup());
    }
}
