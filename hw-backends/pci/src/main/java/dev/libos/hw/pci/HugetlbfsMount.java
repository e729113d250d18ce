package dev.libos.hw.pci;

import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Finds the page size of a hugetlbfs mount from the text of {@code /proc/mounts} (the
 * {@code pagesize=} option, which the kernel always shows) or, failing that, the
 * {@code Hugepagesize:} line of {@code /proc/meminfo} (the default size).
 */
public final class HugetlbfsMount {
    /** Where the guest's boot code mounts hugetlbfs. */
    public static final Path DEFAULT_MOUNT_POINT = Path.of("/dev/hugepages");

    private HugetlbfsMount() {
    }

    /**
     * Page size in bytes of the hugetlbfs mounted at {@code mountPoint}, or empty when
     * {@code procMounts} lists no hugetlbfs there.
     */
    public static OptionalLong pageBytes(String procMounts, Path mountPoint, String procMeminfo) {
        String wanted = mountPoint.toAbsolutePath().normalize().toString();
        for (String line : procMounts.split("\n")) {
            String[] fields = line.strip().split("\\s+");
            if (fields.length < 4 || !fields[2].equals("hugetlbfs") || !fields[1].equals(wanted)) {
                continue;
            }
            for (String option : fields[3].split(",")) {
                if (option.startsWith("pagesize=")) {
                    long bytes = parseSize(option.substring("pagesize=".length()));
                    if (bytes > 0) {
                        return OptionalLong.of(bytes);
                    }
                }
            }
            return defaultPageBytes(procMeminfo);
        }
        return OptionalLong.empty();
    }

    /** The {@code Hugepagesize:} of {@code /proc/meminfo} text, in bytes, or empty. */
    public static OptionalLong defaultPageBytes(String procMeminfo) {
        for (String line : procMeminfo.split("\n")) {
            if (line.startsWith("Hugepagesize:")) {
                String[] fields = line.substring("Hugepagesize:".length()).strip().split("\\s+");
                long bytes = fields.length == 2 ? parseSize(fields[0] + fields[1]) : -1;
                return bytes > 0 ? OptionalLong.of(bytes) : OptionalLong.empty();
            }
        }
        return OptionalLong.empty();
    }

    /** Parses {@code 2M}, {@code 1G}, {@code 2048kB}; -1 when it is not a size. */
    static long parseSize(String text) {
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        if (lower.endsWith("b")) {
            lower = lower.substring(0, lower.length() - 1);
        }
        long multiplier = 1;
        if (!lower.isEmpty()) {
            switch (lower.charAt(lower.length() - 1)) {
                case 'k' -> multiplier = 1L << 10;
                case 'm' -> multiplier = 1L << 20;
                case 'g' -> multiplier = 1L << 30;
                default -> multiplier = 1;
            }
        }
        String digits = multiplier == 1 ? lower : lower.substring(0, lower.length() - 1);
        try {
            long value = Long.parseLong(digits);
            return value > 0 ? value * multiplier : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
