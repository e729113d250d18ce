package dev.libos.maven.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each disk image format against QEMU's own reader: {@code qemu-img check} finds no error (qcow2,
 * VMDK), {@code qemu-img info} gives the expected virtual size, and {@code qemu-img convert -O raw}
 * gives back the source disk byte for byte (a fixed VHD: padded with zeros to a whole MiB). The
 * disks are random and sparse from a printed seed; the same disk written twice gives equal bytes.
 */
class DiskImageRoundTripTest {
    @TempDir
    Path dir;

    interface Writer {
        void write(Path raw, Path out) throws IOException;
    }

    static Writer writer(String format) {
        return switch (format) {
            case "qcow2" -> Qcow2Writer::write;
            case "vmdk" -> (raw, out) -> VmdkStreamWriter.write(raw, out, "disk.vmdk"); // the embedded descriptor names itself
            case "vdi" -> VdiWriter::write;
            case "vpc" -> VhdWriter::write;
            default -> throw new IllegalArgumentException(format);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"qcow2", "vmdk", "vdi", "vpc"})
    void randomSparseDisksWriteTheSameBytesTwiceAndQemuReadsThemBack(String format) throws Exception {
        long seed = TestDisks.seed("round trip " + format);
        Random random = new Random(seed);
        for (int round = 0; round < 4; round++) {
            // Sizes from one sector to ~40 MiB, most not a whole cluster, grain or block.
            long sectors = round == 0 ? 1 : 1 + random.nextInt(80_000);
            Path raw = TestDisks.sparse(dir.resolve("disk" + round + ".raw"), random, sectors, random.nextInt(12));
            checkRoundTrip(format, raw, "seed " + seed + " round " + round);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"qcow2", "vmdk", "vdi", "vpc"})
    void anAllZeroDiskStoresNoData(String format) throws Exception {
        Path raw = dir.resolve("zero.raw");
        try (var file = new java.io.RandomAccessFile(raw.toFile(), "rw")) {
            file.setLength(3 << 20);
        }
        Path out = dir.resolve("zero.img");
        writer(format).write(raw, out);
        if (!format.equals("vpc")) { // a fixed VHD stores every byte by definition
            assertEquals(true, Files.size(out) < (1 << 20) + (256 << 10), format + " stored zeros: " + Files.size(out));
        }
        checkRoundTrip(format, raw, "all zeros");
    }

    /** qcow2 over two L2 tables (512 MiB each), VMDK over several grain tables (32 MiB each), sparse on the host. */
    @ParameterizedTest
    @ValueSource(strings = {"qcow2", "vmdk"})
    void aLargeSparseDiskUsesSeveralTables(String format) throws Exception {
        long seed = TestDisks.seed("large " + format);
        long mebibytes = format.equals("qcow2") ? 520 : 100;
        Path raw = TestDisks.sparse(dir.resolve("large.raw"), new Random(seed), (mebibytes << 20) / 512, 20);
        checkRoundTrip(format, raw, "seed " + seed);
    }

    private void checkRoundTrip(String format, Path raw, String what) throws Exception {
        Path first = dir.resolve("a." + format);
        Path second = dir.resolve("b." + format);
        writer(format).write(raw, first);
        writer(format).write(raw, second);
        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second), format + " not reproducible, " + what);
        Path qemuImg = TestDisks.qemuImg();
        assumeTrue(qemuImg != null, "qemu-img not installed (Debian qemu-utils)");
        if (format.equals("qcow2") || format.equals("vmdk")) {
            TestDisks.run(qemuImg.toString(), "check", "-f", format, first.toString());
        }
        long expected = format.equals("vpc") ? VhdWriter.virtualSize(Files.size(raw)) : Files.size(raw);
        assertEquals(expected, TestDisks.virtualSize(format, first), format + " virtual size, " + what);
        Path back = dir.resolve("back.raw");
        Files.deleteIfExists(back);
        if (format.equals("vpc")) {
            TestDisks.run(qemuImg.toString(), "convert", "--image-opts",
                    "driver=vpc,force_size_calc=current_size,file.filename=" + first, "-O", "raw", back.toString());
        } else {
            TestDisks.run(qemuImg.toString(), "convert", "-f", format, "-O", "raw", first.toString(), back.toString());
        }
        assertEquals(expected, Files.size(back), what);
        TestDisks.assertSameThenZeros(raw, back);
    }
}
