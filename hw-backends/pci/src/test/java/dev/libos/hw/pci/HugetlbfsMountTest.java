package dev.libos.hw.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class HugetlbfsMountTest {
    private static final String MEMINFO = "MemTotal:        2013952 kB\nHugepagesize:       2048 kB\nHugetlb: 0 kB\n";

    @Test
    void pageSizeFromMountOption() {
        String mounts = "proc /proc proc rw,nosuid 0 0\n"
                + "none /dev/hugepages hugetlbfs rw,relatime,pagesize=1024M 0 0\n"
                + "none /mnt/huge2m hugetlbfs rw,relatime,pagesize=2M 0 0\n";
        assertEquals(OptionalLong.of(1L << 30), HugetlbfsMount.pageBytes(mounts, Path.of("/dev/hugepages"), MEMINFO));
        assertEquals(OptionalLong.of(2L << 20), HugetlbfsMount.pageBytes(mounts, Path.of("/mnt/huge2m"), MEMINFO));
    }

    @Test
    void defaultPageSizeFromMeminfoWhenNoOption() {
        String mounts = "hugetlbfs /dev/hugepages hugetlbfs rw,relatime 0 0\n";
        assertEquals(OptionalLong.of(2L << 20), HugetlbfsMount.pageBytes(mounts, Path.of("/dev/hugepages"), MEMINFO));
    }

    @Test
    void otherFileSystemAtThePathIsNotHugetlbfs() {
        String mounts = "tmpfs /dev/hugepages tmpfs rw 0 0\n";
        assertEquals(OptionalLong.empty(), HugetlbfsMount.pageBytes(mounts, Path.of("/dev/hugepages"), MEMINFO));
        assertEquals(OptionalLong.empty(), HugetlbfsMount.pageBytes("", Path.of("/dev/hugepages"), MEMINFO));
    }

    @Test
    void sizes() {
        assertEquals(2L << 20, HugetlbfsMount.parseSize("2M"));
        assertEquals(2L << 20, HugetlbfsMount.parseSize("2048kB"));
        assertEquals(1L << 30, HugetlbfsMount.parseSize("1G"));
        assertEquals(-1, HugetlbfsMount.parseSize("huge"));
        assertEquals(-1, HugetlbfsMount.parseSize("0M"));
        assertEquals(OptionalLong.empty(), HugetlbfsMount.defaultPageBytes("Hugepagesize: lots\n"));
    }
}
