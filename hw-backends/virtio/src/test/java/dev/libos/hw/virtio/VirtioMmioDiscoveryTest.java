package dev.libos.hw.virtio;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class VirtioMmioDiscoveryTest {
    /** The shape of a microvm guest's /proc/iomem (ACPI on, two devices), nested entries indented. */
    private static final String IOMEM = """
            00000000-00000fff : Reserved
            00001000-0009fbff : System RAM
            000f0000-000fffff : Reserved
              000f0000-000fffff : System ROM
            00100000-1fffffff : System RAM
              0b000000-0bc02d6f : Kernel code
            feb00000-feffffff : PCI Bus 0000:00
              feb02c00-feb02dff : LNRO0005:17
              feb02e00-feb02fff : LNRO0005:16
                feb02e00-feb02fff : LNRO0005:16
              fec00000-fec003ff : IOAPIC 0
            fee00000-fee00fff : Local APIC
            """;

    @Test
    void acpiWindowsAreFoundInIomemByTheirHardwareIdAndSortedByAddress() {
        var found = VirtioMmioDiscovery.fromIomem(IOMEM);
        assertEquals(List.of(new VirtioMmioSlot("LNRO0005:17", 0xfeb02c00L, 512), new VirtioMmioSlot("LNRO0005:16", 0xfeb02e00L, 512)),
                found.slots(), "a nested entry of the same window (a claimed region) counts once");
        assertEquals(List.of(), found.malformed());
    }

    @Test
    void hiddenOrGarbledIomemEntriesAreDroppedAndSaid() {
        var found = VirtioMmioDiscovery.fromIomem("""
                00000000-00000000 : LNRO0005:00
                feb00zzz-feb001ff : LNRO0005:01
                feb00400-feb003ff : LNRO0005:02
                feb00600-feb007ff : LNRO0005:03
                garbage
                """);
        assertEquals(List.of(new VirtioMmioSlot("LNRO0005:03", 0xfeb00600L, 512)), found.slots());
        assertEquals(3, found.malformed().size(), found.malformed().toString());
        assertTrue(found.malformed().get(0).contains("only root"), found.malformed().get(0));
    }

    @Test
    void commandLineWordsDescribeTransportsAsFirecrackerAndMicrovmWithoutAcpiPassThem() {
        var found = VirtioMmioDiscovery.fromCommandLine(
                "console=ttyS0 virtio_mmio.device=4K@0xd0000000:5 reboot=k virtio_mmio.device=512@0xfeb00e00:12:3 "
                        + "virtio_mmio.device=1M@4026531840:6 -- -Dx=y\n");
        assertEquals(List.of(0xd0000000L, 0xf0000000L, 0xfeb00e00L), found.slots().stream().map(VirtioMmioSlot::address).toList());
        assertEquals(List.of(4096L, 1L << 20, 512L), found.slots().stream().map(VirtioMmioSlot::size).toList());
        assertEquals(List.of(), found.malformed());
    }

    @Test
    void garbledCommandLineWordsAreDroppedAndSaid() {
        var found = VirtioMmioDiscovery.fromCommandLine("virtio_mmio.device=512 virtio_mmio.device=xK@0x1000:5 "
                + "virtio_mmio.device=512@0x:5 virtio_mmio.device=0@0x1000:5 virtio_mmio.device=99999999999G@0x1000:1");
        assertEquals(List.of(), found.slots());
        assertEquals(5, found.malformed().size(), found.malformed().toString());
    }

    @Test
    void sourcesMergeByAddressKeepingTheFirstName() {
        var iomem = VirtioMmioDiscovery.fromIomem("feb00e00-feb00fff : LNRO0005:07\n");
        var cmdline = VirtioMmioDiscovery.fromCommandLine("virtio_mmio.device=512@0xfeb00e00:12 virtio_mmio.device=512@0xfeb00000:5");
        var both = iomem.and(cmdline);
        assertEquals(List.of("virtio_mmio.device#1", "LNRO0005:07"), both.slots().stream().map(VirtioMmioSlot::name).toList());
    }

    @Test
    void qemuMicrovmLayoutIsFixed() {
        List<VirtioMmioSlot> eight = VirtioMmioDiscovery.qemuMicrovm(8);
        assertEquals(new VirtioMmioSlot("microvm-slot0", 0xfeb00000L, 512), eight.get(0));
        assertEquals(0xfeb00e00L, eight.get(7).address());
        assertEquals(0xfeb02e00L, VirtioMmioDiscovery.qemuMicrovm(24).get(23).address());
        assertThrows(IllegalArgumentException.class, () -> VirtioMmioDiscovery.qemuMicrovm(25));
    }
}
