package dev.libos.maven.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the guest kernel: the configured path, else the newest Debian cloud kernel
 * {@code /boot/vmlinuz-*-cloud-amd64} (package {@code linux-image-cloud-amd64}).
 */
public final class KernelLocator {
    /** Where the default lookup searches. */
    public static final Path DEFAULT_DIRECTORY = Path.of("/boot");
    /** How to install the default kernel, for error messages and the README. */
    public static final String INSTALL_HINT =
            "install Debian's cloud kernel with `sudo apt-get install linux-image-cloud-amd64` "
            + "(it lands in /boot/vmlinuz-*-cloud-amd64; on Ubuntu use linux-image-kvm), "
            + "or set <kernel> / -Dlibos.kernel=PATH";

    private KernelLocator() {
    }

    /** The newest {@code vmlinuz-*-cloud-amd64} in {@code directory} (version order), if any. */
    public static Optional<Path> findCloudKernel(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> {
                        String name = p.getFileName().toString();
                        return name.startsWith("vmlinuz-") && name.endsWith("-cloud-amd64") && Files.isReadable(p);
                    })
                    .max(Comparator.comparing(p -> new VersionKey(p.getFileName().toString())));
        }
    }

    /** Orders "vmlinuz-6.1.0-9-..." before "vmlinuz-6.1.0-10-...": numbers compare as numbers. */
    record VersionKey(String name) implements Comparable<VersionKey> {
        @Override
        public int compareTo(VersionKey other) {
            String[] a = name.split("[.-]");
            String[] b = other.name.split("[.-]");
            for (int i = 0; i < Math.min(a.length, b.length); i++) {
                int c = a[i].matches("\\d+") && b[i].matches("\\d+")
                        ? Long.compare(Long.parseLong(a[i]), Long.parseLong(b[i]))
                        : a[i].compareTo(b[i]);
                if (c != 0) {
                    return c;
                }
            }
            return Integer.compare(a.length, b.length);
        }
    }
}
