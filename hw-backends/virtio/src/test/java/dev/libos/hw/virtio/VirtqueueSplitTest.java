package dev.libos.hw.virtio;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VirtqueueSplitTest {
    private record Completion(Object token, int length) {
    }

    private static List<Completion> drainAll(VirtqueueSplit q) {
        List<Completion> out = new ArrayList<>();
        q.drain((t, n) -> out.add(new Completion(t, n)), Integer.MAX_VALUE);
        return out;
    }

    @Test
    void chainRoundTripCarriesBytesBothWays() {
        try (var f = new VirtqueueFixture(8, false)) {
            MemorySegment header = f.buffer(4).fill((byte) 7);
            MemorySegment payload = f.buffer(3).fill((byte) 9);
            MemorySegment reply = f.buffer(16);
            int head = f.driver.add(new MemorySegment[] {header, payload, reply}, 2, 1, "req");
            assertTrue(head >= 0);
            assertEquals(5, f.driver.freeDescriptors());
            assertNull(f.device.pop(), "nothing visible before publish");
            assertTrue(f.driver.publish());
            VirtqueueDeviceModel.Chain chain = f.device.pop();
            assertEquals(head, chain.head());
            assertEquals(3, chain.buffers().size());
            assertArrayEquals(new byte[] {7, 7, 7, 7, 9, 9, 9}, chain.readableBytes());
            assertEquals(16, chain.writableBytes());
            int written = chain.write(new byte[] {1, 2, 3});
            f.device.complete(chain, written);
            List<Completion> done = drainAll(f.driver);
            assertEquals(List.of(new Completion("req", 3)), done);
            assertEquals(1, reply.get(ValueLayout.JAVA_BYTE, 0));
            assertEquals(8, f.driver.freeDescriptors());
            assertEquals(0, f.driver.counters().deviceErrors());
        }
    }

    @Test
    void fullQueueReportsNoSpaceUntilCompletionsAreDrained() {
        try (var f = new VirtqueueFixture(4, false)) {
            MemorySegment b = f.buffer(8);
            for (int i = 0; i < 4; i++) {
                assertTrue(f.driver.add(new MemorySegment[] {b}, 0, 1, i) >= 0);
            }
            assertEquals(VirtqueueSplit.NO_SPACE, f.driver.add(new MemorySegment[] {b}, 0, 1, 99));
            f.driver.publish();
            var c = f.device.pop();
            f.device.complete(c, 8);
            assertEquals(VirtqueueSplit.NO_SPACE, f.driver.add(new MemorySegment[] {b}, 0, 1, 99), "not drained yet");
            assertEquals(List.of(new Completion(0, 8)), drainAll(f.driver));
            assertTrue(f.driver.add(new MemorySegment[] {b}, 0, 1, 4) >= 0);
            // a two-descriptor chain needs two free descriptors
            f.device.complete(f.device.pop(), 0);
            drainAll(f.driver);
            assertEquals(1, f.driver.freeDescriptors());
            assertEquals(VirtqueueSplit.NO_SPACE, f.driver.add(new MemorySegment[] {b, b}, 1, 1, 5));
            f.device.complete(f.device.pop(), 0);
            drainAll(f.driver);
            assertTrue(f.driver.add(new MemorySegment[] {b, b}, 1, 1, 5) >= 0);
            assertEquals(VirtqueueSplit.NO_SPACE, f.driver.add(new MemorySegment[] {b}, 0, 1, 6));
        }
    }

    @Test
    void needEventFollowsTheVringRuleAcrossWrap() {
        // notify iff event in [old, new)
        assertTrue(VirtqueueDescriptor.needEvent(5, 6, 5));
        assertFalse(VirtqueueDescriptor.needEvent(6, 6, 5));
        assertFalse(VirtqueueDescriptor.needEvent(4, 6, 5));
        assertTrue(VirtqueueDescriptor.needEvent(0xFFFF, 2, 0xFFFE));
        assertTrue(VirtqueueDescriptor.needEvent(1, 2, 0xFFFE));
        assertFalse(VirtqueueDescriptor.needEvent(2, 2, 0xFFFE));
        assertFalse(VirtqueueDescriptor.needEvent(3, 3, 3));
    }

    @Test
    void eventIndexSuppressesDriverNotificationsUntilTheDeviceCatchesUp() {
        try (var f = new VirtqueueFixture(8, true)) {
            MemorySegment b = f.buffer(8);
            f.driver.add(new MemorySegment[] {b}, 0, 1, "a");
            assertTrue(f.driver.publish(), "avail_event 0 is in [0, 1)");
            f.driver.add(new MemorySegment[] {b}, 0, 1, "b");
            assertFalse(f.driver.publish(), "device has not consumed: avail_event 0 not in [1, 2)");
            f.device.pop(); // device now asks for a notification after index 1
            f.device.pop(); // ... and after 2
            f.driver.add(new MemorySegment[] {b}, 0, 1, "c");
            assertTrue(f.driver.publish(), "avail_event 2 is in [2, 3)");
            assertEquals(2, f.driver.counters().notificationsSent());
            assertEquals(1, f.driver.counters().notificationsSuppressed());
            assertFalse(f.driver.publish(), "nothing new");
        }
    }

    @Test
    void noNotifyFlagSuppressesWithoutEventIndex() {
        try (var f = new VirtqueueFixture(8, false)) {
            MemorySegment b = f.buffer(8);
            f.device.setNoNotify(true);
            f.driver.add(new MemorySegment[] {b}, 0, 1, "a");
            assertFalse(f.driver.publish());
            f.device.setNoNotify(false);
            f.driver.add(new MemorySegment[] {b}, 0, 1, "b");
            assertTrue(f.driver.publish());
        }
    }

    @Test
    void deviceInterruptsFollowUsedEventWithEventIndex() {
        try (var f = new VirtqueueFixture(8, true)) {
            MemorySegment b = f.buffer(8);
            for (int i = 0; i < 4; i++) {
                f.driver.add(new MemorySegment[] {b}, 0, 1, i);
            }
            f.driver.publish();
            f.driver.disableInterrupts();
            assertFalse(f.device.complete(f.device.pop(), 1), "poll mode: no interrupt");
            assertTrue(f.driver.enableInterrupts(), "one completion already pending");
            assertFalse(f.device.complete(f.device.pop(), 1), "used_event 0 is behind: [1, 2)");
            assertEquals(2, drainAll(f.driver).size()); // drain moves used_event to 2
            assertTrue(f.device.complete(f.device.pop(), 1), "used_event 2 in [2, 3)");
            assertFalse(f.device.complete(f.device.pop(), 1), "only once until the driver drains");
            drainAll(f.driver);
            assertFalse(f.driver.enableInterrupts(), "nothing pending");
        }
    }

    @Test
    void noInterruptFlagWithoutEventIndex() {
        try (var f = new VirtqueueFixture(8, false)) {
            MemorySegment b = f.buffer(8);
            f.driver.add(new MemorySegment[] {b}, 0, 1, 1);
            f.driver.add(new MemorySegment[] {b}, 0, 1, 2);
            f.driver.publish();
            f.driver.disableInterrupts();
            assertFalse(f.device.complete(f.device.pop(), 1));
            assertTrue(f.driver.enableInterrupts());
            assertTrue(f.device.complete(f.device.pop(), 1));
        }
    }

    @Test
    void outOfRangeIdIsDroppedAndCounted() {
        try (var f = new VirtqueueFixture(8, false)) {
            MemorySegment b = f.buffer(8);
            f.driver.add(new MemorySegment[] {b}, 0, 1, "a");
            f.driver.publish();
            var chain = f.device.pop();
            f.device.completeRaw(8, 1);
            f.device.completeRaw(-1, 1);
            f.device.completeRaw(0xFFFF, 1);
            f.device.complete(chain, 2);
            assertEquals(List.of(new Completion("a", 2)), drainAll(f.driver));
            assertEquals(3, f.driver.counters().droppedIdOutOfRange());
            assertFalse(f.driver.isBroken());
        }
    }

    @Test
    void duplicatedCompletionAndIdNotInFlightAreDroppedAndCounted() {
        try (var f = new VirtqueueFixture(8, false)) {
            MemorySegment b = f.buffer(8);
            f.driver.add(new MemorySegment[] {b, b}, 1, 1, "a");
            f.driver.publish();
            var chain = f.device.pop();
            f.device.complete(chain, 1);
            f.device.complete(chain, 1); // duplicate
            f.device.completeRaw(chain.head() + 1, 1); // inside the chain but not its head
            f.device.completeRaw(5, 1); // never added
            assertEquals(List.of(new Completion("a", 1)), drainAll(f.driver));
            assertEquals(3, f.driver.counters().droppedIdNotInFlight());
            assertEquals(8, f.driver.freeDescriptors(), "the duplicate did not free anything twice");
        }
    }

    @Test
    void lengthBeyondWritableBytesIsDeliveredAsInvalidAndCounted() {
        try (var f = new VirtqueueFixture(8, false)) {
            MemorySegment b = f.buffer(8);
            f.driver.add(new MemorySegment[] {b, b}, 1, 1, "a"); // 8 writable
            f.driver.add(new MemorySegment[] {b}, 1, 0, "b"); // 0 writable
            f.driver.publish();
            f.device.complete(f.device.pop(), 9);
            f.device.complete(f.device.pop(), -1); // 2^32 - 1
            assertEquals(List.of(new Completion("a", VirtqueueSplit.LENGTH_INVALID), new Completion("b", VirtqueueSplit.LENGTH_INVALID)),
                    drainAll(f.driver));
            assertEquals(2, f.driver.counters().badLength());
            assertEquals(8, f.driver.freeDescriptors(), "buffers returned to the driver anyway");
        }
    }

    @Test
    void usedIndexJumpBeyondQueueSizeBreaksTheQueue() {
        try (var f = new VirtqueueFixture(8, false)) {
            MemorySegment b = f.buffer(8);
            f.driver.add(new MemorySegment[] {b}, 0, 1, "a");
            f.driver.publish();
            f.device.jumpUsedIndex(9);
            assertEquals(0, f.driver.drain((t, n) -> fail("nothing may be delivered"), 100));
            assertTrue(f.driver.isBroken());
            assertEquals(1, f.driver.counters().usedIndexJumps());
            assertEquals(VirtqueueSplit.BROKEN, f.driver.add(new MemorySegment[] {b}, 0, 1, "b"));
            assertFalse(f.driver.publish());
            assertFalse(f.driver.hasPendingCompletions());
        }
    }

    @Test
    void stalledDeviceLeavesTheDriverWithNoSpaceNotHung() {
        try (var f = new VirtqueueFixture(2, true)) {
            MemorySegment b = f.buffer(8);
            f.driver.add(new MemorySegment[] {b}, 0, 1, 1);
            f.driver.add(new MemorySegment[] {b}, 0, 1, 2);
            f.driver.publish();
            for (int i = 0; i < 3; i++) {
                assertEquals(VirtqueueSplit.NO_SPACE, f.driver.add(new MemorySegment[] {b}, 0, 1, 3));
                assertEquals(0, drainAll(f.driver).size());
            }
            assertEquals(2, f.driver.descriptorsInFlight());
        }
    }

    @Test
    void budgetLimitsDeliveriesAndTheRestStayPending() {
        try (var f = new VirtqueueFixture(8, false)) {
            MemorySegment b = f.buffer(8);
            for (int i = 0; i < 3; i++) {
                f.driver.add(new MemorySegment[] {b}, 0, 1, i);
            }
            f.driver.publish();
            for (int i = 0; i < 3; i++) {
                f.device.complete(f.device.pop(), i);
            }
            List<Completion> out = new ArrayList<>();
            assertEquals(2, f.driver.drain((t, n) -> out.add(new Completion(t, n)), 2));
            assertTrue(f.driver.hasPendingCompletions());
            assertEquals(1, f.driver.drain((t, n) -> out.add(new Completion(t, n)), 2));
            assertEquals(List.of(new Completion(0, 0), new Completion(1, 1), new Completion(2, 2)), out);
        }
    }

    @Test
    void misuseIsIllegalArgumentNamingTheValue() {
        try (var f = new VirtqueueFixture(8, false)) {
            MemorySegment b = f.buffer(8);
            var e = assertThrows(IllegalArgumentException.class, () -> f.driver.add(new MemorySegment[] {b}, 0, 0, "x"));
            assertTrue(e.getMessage().contains("readable=0"));
            assertThrows(IllegalArgumentException.class, () -> f.driver.add(new MemorySegment[] {b}, 1, 1, "x"));
            assertThrows(IllegalArgumentException.class, () -> f.driver.add(new MemorySegment[] {MemorySegment.NULL}, 1, 0, "x"));
            assertThrows(NullPointerException.class, () -> f.driver.add(new MemorySegment[] {b}, 1, 0, null));
            var size = assertThrows(IllegalArgumentException.class,
                    () -> new VirtqueueSplit(6, b, b, b, DeviceAddressTranslator.IDENTITY, false));
            assertTrue(size.getMessage().contains("6"));
            var small = assertThrows(IllegalArgumentException.class,
                    () -> new VirtqueueSplit(8, b, b, b, DeviceAddressTranslator.IDENTITY, false));
            assertTrue(small.getMessage().contains("descriptorTable"));
            assertThrows(IllegalArgumentException.class, () -> new VirtqueueSplit(8, MemorySegment.ofArray(new byte[128]),
                    b, b, DeviceAddressTranslator.IDENTITY, false));
        }
    }
}
