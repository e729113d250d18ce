package dev.libos.maven.image;

/**
 * The parts of the QCOW2 format (version 2, docs/interop/qcow2.txt in QEMU) that an empty image
 * uses. All numbers are big-endian.
 *
 * <pre>
 *  header (cluster 0)                      empty image layout, cluster size 64 KiB
 *    0  u32 magic 'Q' 'F' 'I' 0xfb          cluster 0  header
 *    4  u32 version = 2                     cluster 1  refcount table: entry 0 = cluster 2
 *    8  u64 backing_file_offset = 0         cluster 2  refcount block: clusters 0-3 have refcount 1
 *   16  u32 backing_file_size = 0           cluster 3  L1 table, all zero (nothing allocated)
 *   20  u32 cluster_bits
 *   24  u64 size (virtual, bytes)
 *   32  u32 crypt_method = 0
 *   36  u32 l1_size (entries)
 *   40  u64 l1_table_offset
 *   48  u64 refcount_table_offset
 *   56  u32 refcount_table_clusters
 *   60  u32 nb_snapshots = 0
 *   64  u64 snapshots_offset = 0
 *   72  end of a version 2 header
 * </pre>
 * Refcounts are 16 bits in version 2; one L1 entry maps one L2 table of (cluster size / 8)
 * clusters.
 */
public final class Qcow2Layout {
    /** 'QFI\xfb'. */
    public static final int MAGIC = 0x514649fb;
    /** Format version written. */
    public static final int VERSION = 2;
    /** 64 KiB clusters, QEMU's default. */
    public static final int CLUSTER_BITS = 16;
    /** Cluster size in bytes. */
    public static final int CLUSTER_BYTES = 1 << CLUSTER_BITS;
    /** Header length of version 2. */
    public static final int HEADER_BYTES = 72;
    /** Bytes per refcount entry (version 2: refcount_order 4). */
    public static final int REFCOUNT_BYTES = 2;

    /** Cluster index of the refcount table. */
    public static final int REFCOUNT_TABLE_CLUSTER = 1;
    /** Cluster index of the (only) refcount block. */
    public static final int REFCOUNT_BLOCK_CLUSTER = 2;
    /** Cluster index of the L1 table. */
    public static final int L1_TABLE_CLUSTER = 3;
    /** Clusters of an empty image. */
    public static final int EMPTY_IMAGE_CLUSTERS = 4;

    private Qcow2Layout() {
    }

    /** L1 entries needed for {@code virtualBytes}: each maps (cluster/8) clusters. */
    public static long l1Entries(long virtualBytes) {
        long bytesPerL1Entry = (long) CLUSTER_BYTES * (CLUSTER_BYTES / 8);
        return (virtualBytes + bytesPerL1Entry - 1) / bytesPerL1Entry;
    }
}
