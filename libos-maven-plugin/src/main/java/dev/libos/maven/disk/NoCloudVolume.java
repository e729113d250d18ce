package dev.libos.maven.disk;

import dev.libos.maven.image.Sha256;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A NoCloud configuration volume (cloud-init's "NoCloud" data source, as clouds and
 * {@code cloud-localds} make it): a FAT file system labelled {@value #LABEL} whose root holds
 * {@code meta-data}, {@code user-data} and optionally {@code network-config}. The run goal makes
 * one from a directory ({@code -Dlibos.cidata=DIR}) and attaches it; libos-guest reads it at boot
 * ({@code dev.libos.guest.NoCloudBootHook}). Written by {@link Fat32Writer} (FAT32, long names),
 * sparse, deterministic.
 */
public final class NoCloudVolume {
    /** The volume label NoCloud is found by. */
    public static final String LABEL = "CIDATA";
    /** Files the data source requires. */
    public static final List<String> REQUIRED = List.of("meta-data", "user-data");
    /** Files it may have besides. */
    public static final List<String> OPTIONAL = List.of("network-config", "vendor-data");

    private NoCloudVolume() {
    }

    /**
     * Writes the volume for the files of {@code directory} to {@code output}.
     *
     * @throws IllegalArgumentException naming {@code libos.cidata} when a required file is
     *         missing or the directory holds anything else
     */
    public static void write(Path directory, Path output) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("libos.cidata: " + directory + " is not a directory");
        }
        List<Fat32Writer.Entry> entries = new ArrayList<>();
        StringBuilder seed = new StringBuilder("libos cidata 1");
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (!Files.isRegularFile(file) || !(REQUIRED.contains(name) || OPTIONAL.contains(name))) {
                    throw new IllegalArgumentException("libos.cidata: " + file + " is not one of the NoCloud files "
                            + String.join(", ", REQUIRED) + ", " + String.join(", ", OPTIONAL));
                }
                entries.add(new Fat32Writer.Entry(name, file));
                seed.append(' ').append(name).append(' ').append(Sha256.of(file));
            }
        }
        for (String required : REQUIRED) {
            if (entries.stream().noneMatch(e -> e.path().equals(required))) {
                throw new IllegalArgumentException("libos.cidata: " + directory + " has no " + required + " (NoCloud needs "
                        + String.join(" and ", REQUIRED) + "; an empty file will do)");
            }
        }
        long sectors = Fat32Writer.minimumSectors(entries);
        Files.deleteIfExists(output);
        Files.createDirectories(output.toAbsolutePath().getParent());
        try (RandomAccessFile raw = new RandomAccessFile(output.toFile(), "rw")) {
            raw.setLength(sectors * Fat32Writer.SECTOR_BYTES);
        }
        int volumeId = (int) Long.parseLong(Guid.derived(seed.toString()).text().substring(0, 8), 16);
        try (FileChannel channel = FileChannel.open(output, StandardOpenOption.WRITE)) {
            Fat32Writer.write(channel, 0, sectors, 0, volumeId, LABEL, entries);
        }
    }
}
