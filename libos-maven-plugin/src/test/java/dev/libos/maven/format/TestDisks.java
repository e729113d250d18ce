package dev.libos.maven.format;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Raw test disks: seeded random sparse contents, and the host's qemu-img when installed. */
final class TestDisks {
    private TestDisks() {
    }

    /** The seed of a randomised test: {@code -Dlibos.test.seed=N} to repeat one, printed either way. */
    static long seed(String test) {
        String fixed = System.getProperty("libos.test.seed");
        long seed = fixed != null ? Long.parseLong(fixed) : System.nanoTime();
        System.out.println(test + ": seed " + seed + " (repeat with -Dlibos.test.seed=" + seed + ")");
        return seed;
    }

    /**
     * A sparse disk of {@code sectors} sectors: a few runs of random bytes at random places, some
     * crossing 64 KiB and 1 MiB boundaries, and always the last sector (the partial-chunk case).
     */
    static Path sparse(Path file, Random random, long sectors, int runs) throws IOException {
        long size = sectors * RawDisk.SECTOR;
        try (RandomAccessFile disk = new RandomAccessFile(file.toFile(), "rw")) {
            disk.setLength(size);
            for (int i = 0; i < runs; i++) {
                int length = 1 + random.nextInt(200_000);
                long offset = (long) (random.nextDouble() * size);
                byte[] bytes = new byte[(int) Math.min(length, size - offset)];
                random.nextBytes(bytes);
                disk.seek(offset);
                disk.write(bytes);
            }
            disk.seek(size - 3);
            disk.write(new byte[] {1, 2, 3});
        }
        return file;
    }

    /** qemu-img's path, or null (the tests that need it are skipped; CI installs qemu-utils). */
    static Path qemuImg() {
        return dev.libos.maven.qemu.QemuCommand.find("qemu-img");
    }

    /** Runs a tool; returns its stdout, fails with its output on a non-zero status. */
    static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        int status = process.waitFor();
        if (status != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + status + ":\n" + output);
        }
        return output;
    }

    /** The "virtual-size" qemu-img info reports, with the format given (no probing). */
    static long virtualSize(String format, Path image) throws IOException, InterruptedException {
        String json = format.equals("vpc")
                // A fixed VHD's size is the footer's (as Azure reads it); qemu uses CHS unless asked.
                ? run(qemuImg().toString(), "info", "--output=json", "--image-opts",
                        "driver=vpc,force_size_calc=current_size,file.filename=" + image)
                : run(qemuImg().toString(), "info", "--output=json", "-f", format, image.toString());
        var m = java.util.regex.Pattern.compile("\"virtual-size\":\\s*(\\d+)").matcher(json);
        if (!m.find()) {
            throw new AssertionError("no virtual-size in " + json);
        }
        return Long.parseLong(m.group(1));
    }

    /** True when the two files have equal bytes over {@code length}, and {@code longer} is zero past it. */
    static void assertSameThenZeros(Path expected, Path actual) throws IOException {
        long length = Files.size(expected);
        try (var a = Files.newInputStream(expected); var b = Files.newInputStream(actual)) {
            byte[] x = new byte[1 << 16];
            byte[] y = new byte[1 << 16];
            long position = 0;
            while (position < length) {
                int n = a.readNBytes(x, 0, x.length);
                int m = b.readNBytes(y, 0, n);
                if (m != n || !java.util.Arrays.equals(x, 0, n, y, 0, n)) {
                    throw new AssertionError(actual + " differs from " + expected + " in the 64 KiB from " + position);
                }
                position += n;
            }
            int r;
            while ((r = b.read(y)) > 0) {
                for (int i = 0; i < r; i++) {
                    if (y[i] != 0) {
                        throw new AssertionError(actual + " has a non-zero byte past " + expected + "'s end");
                    }
                }
            }
        }
    }
}
