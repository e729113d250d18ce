package dev.libos.maven.disk;

/**
 * The GUID Partition Table as this plugin writes it (UEFI 2.10 section 5.3), 512-byte sectors:
 * <pre>
 * LBA 0            protective MBR: one partition of type 0xEE over the whole disk (5.2.3)
 * LBA 1            primary GPT header (table 5-5), 92 bytes, rest of the sector zero
 * LBA 2..33        primary partition entry array: 128 entries of 128 bytes (table 5-6)
 * LBA 34..last-33  usable: the partitions, each starting on a 1 MiB boundary
 * LBA last-32..-1  backup partition entry array (same bytes as the primary one)
 * LBA last         backup GPT header (MyLBA and AlternateLBA swapped, entries at last-32)
 * </pre>
 * Header fields (offsets in bytes): 0 signature "EFI PART", 8 revision 0x00010000, 12 header
 * size, 16 header CRC32 (computed with this field zero), 20 reserved, 24 MyLBA, 32 AlternateLBA,
 * 40 FirstUsableLBA, 48 LastUsableLBA, 56 DiskGUID, 72 PartitionEntryLBA, 80
 * NumberOfPartitionEntries, 84 SizeOfPartitionEntry, 88 PartitionEntryArrayCRC32. Entry fields: 0
 * type GUID, 16 unique GUID, 32 StartingLBA, 40 EndingLBA (inclusive), 48 attributes, 56 name
 * (36 UTF-16LE code units).
 */
public final class GptLayout {
    /** Sector (logical block) size. */
    public static final int SECTOR_BYTES = 512;
    /** "EFI PART", little-endian. */
    public static final long SIGNATURE = 0x5452415020494645L;
    /** Revision 1.0. */
    public static final int REVISION = 0x00010000;
    /** Header size written. */
    public static final int HEADER_BYTES = 92;
    /** Entries in each array. */
    public static final int ENTRY_COUNT = 128;
    /** Bytes per entry. */
    public static final int ENTRY_BYTES = 128;
    /** Sectors of one entry array (16 KiB). */
    public static final int ENTRY_ARRAY_SECTORS = ENTRY_COUNT * ENTRY_BYTES / SECTOR_BYTES;
    /** First usable LBA after the primary array. */
    public static final long FIRST_USABLE_LBA = 2 + ENTRY_ARRAY_SECTORS;
    /** Partitions start on multiples of this many sectors (1 MiB). */
    public static final long ALIGNMENT_SECTORS = (1 << 20) / SECTOR_BYTES;
    /** UTF-16 code units in a partition name. */
    public static final int NAME_UNITS = 36;

    /** Offsets in the header. */
    public static final int H_SIGNATURE = 0, H_REVISION = 8, H_SIZE = 12, H_CRC = 16, H_MY_LBA = 24, H_ALTERNATE_LBA = 32,
            H_FIRST_USABLE = 40, H_LAST_USABLE = 48, H_DISK_GUID = 56, H_ENTRIES_LBA = 72, H_ENTRY_COUNT = 80,
            H_ENTRY_SIZE = 84, H_ENTRIES_CRC = 88;
    /** Offsets in an entry. */
    public static final int E_TYPE = 0, E_UNIQUE = 16, E_FIRST_LBA = 32, E_LAST_LBA = 40, E_ATTRIBUTES = 48, E_NAME = 56;

    /** EFI System Partition type (UEFI 2.10 table 5-7). */
    public static final Guid ESP_TYPE = new Guid("C12A7328-F81F-11D2-BA4B-00A0C93EC93B");
    /**
     * Type of the image's read-only files volume (imagefs). A libos-only GUID (fixed, chosen for
     * libos); the guest also checks the partition name {@code libos-files}.
     */
    public static final Guid FILES_TYPE = new Guid("6C69626F-7366-494C-8553-000000000001");
    /** Type of the writable state volume (cowfs), name {@code libos-state}. */
    public static final Guid STATE_TYPE = new Guid("6C69626F-7366-494C-8553-000000000002");

    private GptLayout() {
    }
}
