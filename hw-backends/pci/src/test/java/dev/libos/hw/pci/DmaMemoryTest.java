package dev.libos.hw.pci;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.api.device.DmaMemory.DmaBuffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The allocator of {@link HugepageDmaMemory} over an ordinary directory with small "pages" and
 * the identity translation, and {@link AnonymousDmaMemory}.
 */
class DmaMemoryTest {
    private static final long PAGE = 4096; // the base page: an ordinary mapping is aligned to it

    @TempDir
    Path temp;

    @Test
    void buffersAreAlignedWithinOnePageAndTranslatedByOffset() throws IOException {
        try (HugepageDmaMemory memory = HugepageDmaMemory.open(temp, PAGE, 16, AddressTranslation.IDENTITY)) {
            try (var listing = Files.list(temp)) {
                assertEquals(0, listing.count(), "the backing file is unlinked once mapped");
            }
            List<DmaBuffer> buffers = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                long bytes = 100 + 37L * i;
                long alignment = 1L << (i % 9);
                DmaBuffer buffer = memory.allocate(bytes, alignment);
                buffers.add(buffer);
                long address = buffer.segment().address();
                assertEquals(bytes, buffer.segment().byteSize());
                assertEquals(0, address % alignment, "aligned to " + alignment);
                assertEquals(address, buffer.deviceAddress(), "identity translation");
                assertEquals(address / PAGE, (address + bytes - 1) / PAGE, "does not cross a page");
                buffer.segment().fill((byte) i);
            }
            for (int i = 1; i < buffers.size(); i++) {
                DmaBuffer previous = buffers.get(i - 1);
                assertTrue(previous.segment().address() + previous.segment().byteSize() <= buffers.get(i).segment().address()
                        || buffers.get(i).segment().address() / PAGE != previous.segment().address() / PAGE,
                        "no overlap");
                assertEquals((byte) (i - 1), previous.segment().get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0));
            }
        }
    }

    @Test
    void deviceAddressFollowsEachPagesTranslation() throws IOException {
        // A translation that maps page n of the mapping to a scattered "physical" page.
        long[] base = new long[1];
        AddressTranslation scattered = segment -> {
            if (base[0] == 0) {
                base[0] = segment.address();
            }
            long page = (segment.address() - base[0]) / PAGE;
            return 0x40000000L + (3 - page) * 0x100000L;
        };
        try (HugepageDmaMemory memory = HugepageDmaMemory.open(temp, PAGE, 4, scattered)) {
            DmaBuffer first = memory.allocate(PAGE / 2, 64);
            DmaBuffer second = memory.allocate(PAGE / 2, 64);
            DmaBuffer third = memory.allocate(100, 64); // does not fit: next page
            assertEquals(0x40300000L, first.deviceAddress());
            assertEquals(0x40300000L + PAGE / 2, second.deviceAddress());
            assertEquals(0x40200000L, third.deviceAddress());
        }
    }

    @Test
    void exhaustionAndReuseOfFreedPages() throws IOException {
        try (HugepageDmaMemory memory = HugepageDmaMemory.open(temp, PAGE, 2, AddressTranslation.IDENTITY)) {
            DmaBuffer a = memory.allocate(PAGE, PAGE);
            DmaBuffer b = memory.allocate(PAGE, PAGE);
            IllegalStateException full = assertThrows(IllegalStateException.class, () -> memory.allocate(64, 64));
            assertTrue(full.getMessage().contains("exhausted"), full.getMessage());
            a.close();
            a.close(); // idempotent: must not free the page twice
            DmaBuffer c = memory.allocate(64, 64);
            assertEquals(a.segment().address(), c.segment().address(), "the freed page is reused");
            assertThrows(IllegalStateException.class, () -> memory.allocate(PAGE, 1));
            b.close();
            c.close();
            DmaBuffer d = memory.allocate(PAGE, PAGE);
            DmaBuffer e = memory.allocate(PAGE, PAGE);
            assertFalse(d.segment().address() == e.segment().address());
        }
    }

    @Test
    void badRequestsAreIllegalArguments() throws IOException {
        try (HugepageDmaMemory memory = HugepageDmaMemory.open(temp, PAGE, 1, AddressTranslation.IDENTITY)) {
            assertThrows(IllegalArgumentException.class, () -> memory.allocate(0, 8));
            assertThrows(IllegalArgumentException.class, () -> memory.allocate(64, 24));
            IllegalArgumentException tooBig = assertThrows(IllegalArgumentException.class,
                    () -> memory.allocate(PAGE + 1, 8));
            assertTrue(tooBig.getMessage().contains(String.valueOf(PAGE + 1)), tooBig.getMessage());
        }
        assertThrows(IllegalArgumentException.class,
                () -> HugepageDmaMemory.open(temp, 3000, 1, AddressTranslation.IDENTITY));
        assertThrows(IllegalArgumentException.class,
                () -> HugepageDmaMemory.open(temp, PAGE, 0, AddressTranslation.IDENTITY));
    }

    @Test
    void closedMemoryThrowsInsteadOfFaulting() throws IOException {
        HugepageDmaMemory memory = HugepageDmaMemory.open(temp, PAGE, 1, AddressTranslation.IDENTITY);
        DmaBuffer buffer = memory.allocate(64, 64);
        memory.close();
        assertThrows(IllegalStateException.class, () -> buffer.segment().get(JAVA_LONG, 0));
    }

    @Test
    void failedTranslationReleasesTheMapping() {
        IOException e = assertThrows(IOException.class, () -> HugepageDmaMemory.open(temp, PAGE, 1,
                segment -> {
                    throw new IOException("no pagemap");
                }));
        assertEquals("no pagemap", e.getMessage());
    }

    @Test
    void missingDirectoryNamesThePath() {
        IOException e = assertThrows(IOException.class,
                () -> HugepageDmaMemory.open(temp.resolve("absent"), PAGE, 1, AddressTranslation.IDENTITY));
        assertTrue(e.getMessage().contains("absent"), e.getMessage());
    }

    @Test
    void anonymousMemoryIsAlignedWithIdentityAddresses() {
        AnonymousDmaMemory memory = new AnonymousDmaMemory();
        DmaBuffer buffer = memory.allocate(1500, 4096);
        assertEquals(0, buffer.segment().address() % 4096);
        assertEquals(buffer.segment().address(), buffer.deviceAddress());
        buffer.segment().set(JAVA_LONG, 8, 42L);
        assertEquals(42L, buffer.segment().get(JAVA_LONG, 8));
        buffer.close();
        buffer.close();
        assertThrows(IllegalStateException.class, () -> buffer.segment().get(JAVA_LONG, 0));
        assertThrows(IllegalArgumentException.class, () -> memory.allocate(-1, 8));
        assertThrows(IllegalArgumentException.class, () -> memory.allocate(8, 0));
    }
}
