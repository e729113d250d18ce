package dev.libos.maven.disk;

/**
 * One GPT partition entry.
 *
 * @param name     up to 36 UTF-16 code units (printable ASCII here)
 * @param type     partition type GUID
 * @param unique   unique partition GUID
 * @param firstLba first sector
 * @param lastLba  last sector, inclusive
 */
public record GptPartition(String name, Guid type, Guid unique, long firstLba, long lastLba) {
    public GptPartition {
        if (name.length() > GptLayout.NAME_UNITS || !name.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("partition name must be up to 36 printable ASCII characters: '" + name + "'");
        }
        if (firstLba < GptLayout.FIRST_USABLE_LBA || lastLba < firstLba) {
            throw new IllegalArgumentException("partition " + name + ": bad range " + firstLba + ".." + lastLba);
        }
    }

    /** Size in sectors. */
    public long sectors() {
        return lastLba - firstLba + 1;
    }

    /** Byte offset of the first sector. */
    public long offsetBytes() {
        return firstLba * GptLayout.SECTOR_BYTES;
    }

    /** Size in bytes. */
    public long sizeBytes() {
        return sectors() * GptLayout.SECTOR_BYTES;
    }
}
