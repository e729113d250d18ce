package dev.libos.hw.pci;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.libos.api.device.DmaMemory.DmaBuffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link HugepageDmaMemory} on real huge pages with physical addresses from /proc/self/pagemap.
 * Uses /dev/hugepages when it is a hugetlbfs mount with free pages; otherwise, as root only,
 * reserves 4 pages through /proc/sys/vm/nr_hugepages and mounts a hugetlbfs of its own, undoing
 * both afterwards. Skipped, with the reason, when neither is possible.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RealHugepageDmaMemoryTest {
    private static final Path NR_HUGEPAGES = Path.of("/proc/sys/vm/nr_hugepages");

    @TempDir
    Path temp;
    private String restoreNrHugepages;
    private Path mountedByTest;

    @AfterEach
    void undo() throws Exception {
        if (mountedByTest != null) {
            run("umount", mountedByTest.toString());
        }
        if (restoreNrHugepages != null) {
            Files.writeString(NR_HUGEPAGES, restoreNrHugepages);
        }
    }

    @Test
    void hugePagesHavePhysicalAddressesAlignedToThePageSize() throws Exception {
        Path mountPoint = hugetlbfsWithFreePages();
        try (HugepageDmaMemory memory = HugepageDmaMemory.open(mountPoint, 2)) {
            long pageBytes = memory.pageBytes();
            for (int page = 0; page < memory.pageCount(); page++) {
                long physical = memory.pageDeviceAddress(page);
                assertNotEquals(0, physical);
                assertEquals(0, physical % pageBytes, "a huge page is physically aligned to its size");
            }
            DmaBuffer ring = memory.allocate(4096, 4096);
            DmaBuffer packet = memory.allocate(2048, 64);
            assertEquals(memory.pageDeviceAddress(0), ring.deviceAddress());
            assertEquals(ring.deviceAddress() + 4096, packet.deviceAddress());
            // The pagemap agrees for an address inside the page, not only at its start.
            assertEquals(packet.deviceAddress(), PagemapTranslation.self().deviceAddress(packet.segment()));
            assertNotEquals(packet.segment().address(), packet.deviceAddress());
            packet.segment().set(JAVA_LONG, 0, 0x1122334455667788L);
            assertEquals(0x1122334455667788L, packet.segment().get(JAVA_LONG, 0));
        }
    }

    private Path hugetlbfsWithFreePages() throws Exception {
        String meminfo = Files.readString(Path.of("/proc/meminfo"));
        Path standard = HugetlbfsMount.DEFAULT_MOUNT_POINT;
        OptionalLong standardPage = HugetlbfsMount.pageBytes(Files.readString(Path.of("/proc/mounts")), standard, meminfo);
        if (standardPage.isPresent() && meminfoValue(meminfo, "HugePages_Free:") >= 2 && isRoot()) {
            return standard;
        }
        assumeTrue(isRoot(), "needs root (CAP_SYS_ADMIN) to reserve huge pages, mount hugetlbfs and read PFNs");
        assumeTrue(Files.isWritable(NR_HUGEPAGES), "/proc/sys/vm/nr_hugepages is not writable");
        String original = Files.readString(NR_HUGEPAGES).strip();
        if (meminfoValue(meminfo, "HugePages_Free:") < 2) {
            restoreNrHugepages = original;
            Files.writeString(NR_HUGEPAGES, String.valueOf(Long.parseLong(original) + 4));
            long free = meminfoValue(Files.readString(Path.of("/proc/meminfo")), "HugePages_Free:");
            assumeTrue(free >= 2, "the kernel reserved only " + free + " free huge pages");
        }
        Path mountPoint = Files.createDirectory(temp.resolve("hugetlbfs"));
        int status = run("mount", "-t", "hugetlbfs", "none", mountPoint.toString());
        assumeTrue(status == 0, "mount -t hugetlbfs failed with status " + status);
        mountedByTest = mountPoint;
        return mountPoint;
    }

    private static boolean isRoot() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Uid:")) {
                return line.split("\\s+")[2].equals("0"); // effective uid
            }
        }
        return false;
    }

    private static long meminfoValue(String meminfo, String key) {
        for (String line : meminfo.split("\n")) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.substring(key.length()).strip().split("\\s+")[0]);
            }
        }
        return 0;
    }

    private static int run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), String.join(" ", command) + " did not finish");
        return process.exitValue();
    }
}
