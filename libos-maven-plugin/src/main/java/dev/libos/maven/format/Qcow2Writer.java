package dev.libos.maven.format;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;

/**
 * Writes a raw disk as qcow2 version 3 (QEMU's docs/interop/qcow2.txt), in one sequential pass,
 * with 64 KiB clusters and 16-bit refcounts. Only clusters holding a non-zero byte are stored;
 * the others have no L2 entry and read as zeros (no backing file). Layout, in clusters:
 * <pre>
 *   0                header (104 bytes, version 3, no extensions)
 *   1 ..             refcount table (one 8-byte entry per refcount block)
 *   ..               refcount blocks (32768 two-byte counts each, every used cluster = 1)
 *   ..               L1 table (one entry per 512 MiB of virtual disk)
 *   ..               L2 tables, only for the 512 MiB ranges that hold data
 *   ..               data clusters, in virtual order
 * </pre>
 * Every cluster is referenced once, so L1 and L2 entries carry the COPIED flag (bit 63), as
 * {@code qemu-img check} expects of a refcount of exactly one.
 */
public final class Qcow2Writer {
    static final int CLUSTER_BITS = 16;
    static final int CLUSTER = 1 << CLUSTER_BITS;
    static final int MAGIC = 0x514649fb; // "QFI\xfb"
    static final int HEADER_LENGTH = 104;
    static final int REFCOUNT_ORDER = 4; // 16-bit refcounts
    static final int L2_ENTRIES = CLUSTER / 8;
    static final int REFCOUNTS_PER_BLOCK = CLUSTER / 2;
    static final long COPIED = 1L << 63;

    private Qcow2Writer() {
    }

    /** Writes {@code raw} as qcow2 to {@code out} (replaced). */
    public static void write(Path raw, Path out) throws IOException {
        RawDisk disk = RawDisk.open(raw);
        BitSet data = disk.scan(CLUSTER).nonZero();
        Layout layout = Layout.of(disk.size(), data);
        byte[] cluster = new byte[CLUSTER];
        try (OutputStream stream = new BufferedOutputStream(Files.newOutputStream(out), 1 << 20);
             FileChannel channel = disk.openChannel()) {
            stream.write(layout.header());
            // Refcount table: block i at its cluster.
            ByteBuffer table = ByteBuffer.allocate(layout.refcountTableClusters * CLUSTER);
            for (long i = 0; i < layout.refcountBlocks; i++) {
                table.putLong((layout.refcountBlocksCluster + i) * CLUSTER);
            }
            stream.write(table.array());
            // Refcount blocks: clusters 0 .. total-1 are used once.
            for (long block = 0; block < layout.refcountBlocks; block++) {
                ByteBuffer counts = ByteBuffer.allocate(CLUSTER);
                for (long c = block * REFCOUNTS_PER_BLOCK; c < Math.min(layout.totalClusters, (block + 1) * REFCOUNTS_PER_BLOCK); c++) {
                    counts.putShort((short) 1);
                }
                stream.write(counts.array());
            }
            // L1: the L2 tables in L1 order.
            ByteBuffer l1 = ByteBuffer.allocate(layout.l1Clusters * CLUSTER);
            long l2Cluster = layout.l2Cluster;
            for (int i = 0; i < layout.l1Entries; i++) {
                l1.putLong(layout.hasL2(data, i) ? (l2Cluster++ * CLUSTER) | COPIED : 0);
            }
            stream.write(l1.array());
            // L2 tables: the data clusters in virtual order.
            long dataCluster = layout.dataCluster;
            for (int i = 0; i < layout.l1Entries; i++) {
                if (!layout.hasL2(data, i)) {
                    continue;
                }
                ByteBuffer l2 = ByteBuffer.allocate(CLUSTER);
                for (int e = 0; e < L2_ENTRIES; e++) {
                    long index = (long) i * L2_ENTRIES + e;
                    l2.putLong(index <= Integer.MAX_VALUE && data.get((int) index) ? (dataCluster++ * CLUSTER) | COPIED : 0);
                }
                stream.write(l2.array());
            }
            for (int index = data.nextSetBit(0); index >= 0; index = data.nextSetBit(index + 1)) {
                disk.read(channel, index, cluster);
                stream.write(cluster);
            }
        }
    }

    /** Where each part goes, in clusters. */
    static final class Layout {
        final long size;
        final int l1Entries;
        final int l1Clusters;
        final int l2Tables;
        final long dataClusters;
        final int refcountTableClusters;
        final long refcountBlocks;
        final long refcountBlocksCluster;
        final long l1Cluster;
        final long l2Cluster;
        final long dataCluster;
        final long totalClusters;

        private Layout(long size, BitSet data) {
            this.size = size;
            long l2Span = (long) L2_ENTRIES * CLUSTER;
            l1Entries = Math.toIntExact(Math.ceilDiv(size, l2Span));
            l1Clusters = Math.toIntExact(Math.ceilDiv(l1Entries * 8L, CLUSTER));
            int tables = 0;
            for (int i = 0; i < l1Entries; i++) {
                tables += hasL2(data, i) ? 1 : 0;
            }
            l2Tables = tables;
            dataClusters = data.cardinality();
            long payload = 1 + l1Clusters + l2Tables + dataClusters;
            // The refcount structures count themselves: grow them until they cover everything.
            long blocks = 0;
            int tableClusters = 0;
            while (true) {
                long total = payload + tableClusters + blocks;
                long neededBlocks = Math.ceilDiv(total, REFCOUNTS_PER_BLOCK);
                int neededTable = Math.toIntExact(Math.max(1, Math.ceilDiv(neededBlocks * 8, CLUSTER)));
                if (neededBlocks == blocks && neededTable == tableClusters) {
                    break;
                }
                blocks = neededBlocks;
                tableClusters = neededTable;
            }
            refcountBlocks = blocks;
            refcountTableClusters = tableClusters;
            refcountBlocksCluster = 1 + refcountTableClusters;
            l1Cluster = refcountBlocksCluster + refcountBlocks;
            l2Cluster = l1Cluster + l1Clusters;
            dataCluster = l2Cluster + l2Tables;
            totalClusters = dataCluster + dataClusters;
        }

        static Layout of(long size, BitSet data) {
            return new Layout(size, data);
        }

        boolean hasL2(BitSet data, int l1Index) {
            long from = (long) l1Index * L2_ENTRIES;
            if (from > Integer.MAX_VALUE) {
                return false;
            }
            int next = data.nextSetBit((int) from);
            return next >= 0 && next < from + L2_ENTRIES;
        }

        /** Cluster 0: the version 3 header (qcow2.txt "Header"), big-endian. */
        byte[] header() {
            ByteBuffer header = ByteBuffer.allocate(CLUSTER);
            header.putInt(MAGIC).putInt(3)
                    .putLong(0).putInt(0)                   // no backing file
                    .putInt(CLUSTER_BITS).putLong(size)
                    .putInt(0)                              // no encryption
                    .putInt(l1Entries).putLong(l1Cluster * CLUSTER)
                    .putLong(CLUSTER)                       // refcount table at cluster 1
                    .putInt(refcountTableClusters)
                    .putInt(0).putLong(0)                   // no snapshots
                    .putLong(0).putLong(0).putLong(0)       // incompatible, compatible, autoclear features
                    .putInt(REFCOUNT_ORDER).putInt(HEADER_LENGTH);
            // Header extensions start at HEADER_LENGTH; the zero bytes there are the end marker.
            return header.array();
        }
    }
}
