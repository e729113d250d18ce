package dev.libos.maven.disk;

import static dev.libos.maven.disk.GptLayout.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * Reads back the primary GPT of a disk this plugin wrote ({@link GptWriter}), for the run goal,
 * which needs the state partition's place. It accepts only the writer's own shape (512-byte
 * sectors, 128 entries of 128 bytes at LBA 2, both CRCs right); the guest's reader
 * ({@code dev.libos.guest.GptPartitions}) is the one that takes any valid table.
 */
public final class GptReader {
    private GptReader() {
    }

    /** The used partitions of {@code disk}. */
    public static List<GptPartition> read(Path disk) throws IOException {
        try (FileChannel channel = FileChannel.open(disk)) {
            ByteBuffer header = readAt(channel, SECTOR_BYTES, SECTOR_BYTES);
            byte[] headerBytes = new byte[HEADER_BYTES];
            header.get(0, headerBytes);
            ByteBuffer.wrap(headerBytes).order(ByteOrder.LITTLE_ENDIAN).putInt(H_CRC, 0);
            if (header.getLong(H_SIGNATURE) != SIGNATURE || header.getInt(H_SIZE) != HEADER_BYTES
                    || header.getInt(H_CRC) != GptWriter.crc(headerBytes, 0, HEADER_BYTES)
                    || header.getLong(H_ENTRIES_LBA) != 2 || header.getInt(H_ENTRY_COUNT) != ENTRY_COUNT
                    || header.getInt(H_ENTRY_SIZE) != ENTRY_BYTES) {
                throw new IOException(disk + " has no GPT as the image goal writes it: rebuild the image (mvn package)");
            }
            ByteBuffer entries = readAt(channel, 2L * SECTOR_BYTES, ENTRY_COUNT * ENTRY_BYTES);
            CRC32 crc = new CRC32();
            crc.update(entries.duplicate());
            if ((int) crc.getValue() != header.getInt(H_ENTRIES_CRC)) {
                throw new IOException(disk + ": GPT entry array CRC32 mismatch: rebuild the image (mvn package)");
            }
            List<GptPartition> partitions = new ArrayList<>();
            for (int i = 0; i < ENTRY_COUNT; i++) {
                int base = i * ENTRY_BYTES;
                Guid type = Guid.fromBytes(entries.array(), base + E_TYPE);
                if (type.text().equals("00000000-0000-0000-0000-000000000000")) {
                    continue;
                }
                int units = 0;
                while (units < NAME_UNITS && entries.getShort(base + E_NAME + 2 * units) != 0) {
                    units++;
                }
                String name = new String(entries.array(), base + E_NAME, 2 * units, StandardCharsets.UTF_16LE);
                partitions.add(new GptPartition(name, type, Guid.fromBytes(entries.array(), base + E_UNIQUE),
                        entries.getLong(base + E_FIRST_LBA), entries.getLong(base + E_LAST_LBA)));
            }
            return partitions;
        }
    }

    /** The partition named {@code name}. */
    public static Optional<GptPartition> find(Path disk, String name) throws IOException {
        return read(disk).stream().filter(p -> p.name().equals(name)).findFirst();
    }

    private static ByteBuffer readAt(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("disk ends at " + (position + buffer.position()));
            }
        }
        return buffer.flip();
    }
}
