package dev.libos.vfs.cowfs;

import dev.libos.api.device.BlockDevice;
import dev.libos.vfs.Errno;
import dev.libos.vfs.FileType;
import dev.libos.vfs.VfsException;
import dev.libos.vfs.cowfs.InodeGroupIndex.GroupRef;
import dev.libos.vfs.cowfs.SuperblockDescriptor.Superblock;
import dev.libos.vfs.spi.FileSystem;
import dev.libos.vfs.spi.Vnode;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * cowfs: a writable, crash-consistent file system on any {@link BlockDevice}.
 *
 * <p><b>Design.</b> All metadata lives in memory; data is read from the device on demand and
 * changed data is held in memory (dirty blocks) until a commit. A commit (on fsync, sync,
 * unmount, or when dirty data passes {@link #DIRTY_LIMIT_BYTES}):
 * <ol>
 *   <li>writes every dirty block to a newly allocated block (never over a block the last commit
 *       references: copy-on-write, see {@link BlockAllocator}) and records its CRC32C;</li>
 *   <li>rewrites, to new blocks, only the inode groups ({@link InodeGroupIndex}) holding a
 *       changed inode: each such group's {@link MetadataCodec} stream to a fresh chain of
 *       {@link MetaBlockDescriptor} blocks; then the index (every group's chain, length and
 *       CRC32C) to a fresh chain. Unchanged groups keep their chains, which the new index
 *       references again. These writes go down as runs of consecutive blocks ({@link BlockRuns});</li>
 *   <li>writes the superblock of generation g+1 into slot (g+1) % 2 ({@link SuperblockDescriptor})
 *       and flushes the device, once. The commit is durable when this flush returns;</li>
 *   <li>writes the seal of g+1 into slot g % 2, unflushed: a sealed commit is known complete.</li>
 * </ol>
 * A power cut before the flush may keep any subset of the commit's writes, the superblock
 * included. Every block the commit wrote is covered by a checksum its superblock chains to, so
 * mount checks an unsealed newest commit block by block and, when one did not arrive, takes the
 * previous commit, which is whole: nothing it references was overwritten, and its slot is
 * untouched until the seal of a durable successor ({@link CowImage#select}). A torn superblock
 * fails its checksum and mount takes the other slot. fsync
 * therefore commits the whole file system (like ext3's ordered journal or a ZFS txg), and every
 * byte a completed fsync covered survives. Every block read is checked against its checksum: a
 * mismatch is EIO, never wrong data.
 *
 * <p>A commit writes metadata in proportion to what changed (the groups of changed inodes; a
 * record over {@value InodeGroupIndex#SOLO_RECORD_BYTES} bytes is a group of its own) plus the
 * index, {@value InodeGroupIndex#ENTRY_LENGTH} bytes per group. Scaling limits (documented in
 * README): a directory, and a file's block pointers, are one record each, rewritten whole when
 * they change; the index is rewritten whole; the inode table is held in memory.
 *
 * <p>Threading: single-threaded, serialised by the VFS mount lock (see {@link FileSystem}).
 * After a device error during a commit the instance refuses further work (EIO): remount it.
 */
public final class CowFs implements FileSystem {
    /** Dirty data that forces a commit. */
    public static final long DIRTY_LIMIT_BYTES = 8L << 20;
    /** Largest file. */
    public static final long MAX_FILE_SIZE = 1L << 40;
    /** The smallest file system mkfs makes (and mount accepts). */
    public static final long MIN_BLOCKS = 8;
    /** The last generation: far beyond any real count of commits, and generation + 1 cannot overflow. */
    public static final long MAX_GENERATION = 1L << 62;
    /** Clean data blocks kept in memory by {@link #mount(BlockDevice)}. */
    public static final long DEFAULT_CACHE_BYTES = 16L << 20;

    final BlockDevice device;
    final int blockSize;
    private final long blockCount;
    private final BlockAllocator allocator;
    private final BlockCache cache;
    final TreeMap<Long, CowInode> inodes = new TreeMap<>();
    private final CowInode root;
    private long generation;
    private long nextIno;
    private final InodeGroups groups;
    long dirtyBlocks;
    private String failure;
    private boolean unmounted;
    /** Why the newest commit was refused and the previous one mounted read-only; null when writable. */
    private final String damagedCommit;
    /** Why the newest commit on the device was taken as cut before its flush (the previous one mounted); null if none. */
    private final String incompleteCommit;
    /** The slot contents of the last durable commit's superblock: the next commit's seal is written over it. */
    private byte[] superblockBlock;
    /** A seal was written after the last flush (it becomes durable with the next flush). */
    private boolean sealPending;
    /** The data and metadata writes of the commit in progress, sent as runs. */
    private final BlockRuns runs;

    private CowFs(BlockDevice device, CowImage.Selection selection, long cacheBytes, int soloRecordBytes) {
        CowImage.Snapshot snapshot = selection.snapshot();
        this.device = device;
        this.damagedCommit = selection.damagedCommit();
        this.incompleteCommit = selection.incompleteCommit();
        this.superblockBlock = selection.candidate().block();
        this.runs = new BlockRuns(device);
        this.blockSize = device.blockSize();
        this.cache = new BlockCache((int) Math.min(Integer.MAX_VALUE, cacheBytes / blockSize));
        this.blockCount = snapshot.superblock().blockCount();
        this.generation = snapshot.superblock().generation();
        this.nextIno = snapshot.superblock().nextIno();
        this.groups = new InodeGroups(snapshot, soloRecordBytes);
        this.allocator = new BlockAllocator(blockCount, snapshot.used());
        for (InodeRecord record : snapshot.inodes()) {
            inodes.put(record.ino(), new CowInode(this, record));
        }
        for (InodeRecord record : snapshot.inodes()) {
            if (record.type() == FileType.DIRECTORY) {
                CowInode dir = inodes.get(record.ino());
                for (Map.Entry<String, Long> e : record.entries().entrySet()) {
                    dir.children.put(e.getKey(), inodes.get(e.getValue()));
                }
            }
        }
        this.root = inodes.get(CowImage.ROOT_INO);
    }

    /**
     * Writes an empty file system over the whole of {@code device} (both superblocks first
     * invalidated, so no older file system can win at mount).
     */
    public static void mkfs(BlockDevice device) throws VfsException {
        mkfs(device, InodeGroupIndex.DEFAULT_GROUP_SIZE);
    }

    /** Like {@link #mkfs(BlockDevice)} with {@code groupSize} inode numbers per group (tests use tiny groups). */
    static void mkfs(BlockDevice device, int groupSize) throws VfsException {
        if (groupSize < 1 || groupSize > InodeGroupIndex.MAX_GROUP_SIZE) {
            throw new IllegalArgumentException("cowfs inode group size out of range: " + groupSize);
        }
        if (device.blockCount() < MIN_BLOCKS || device.blockCount() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("cowfs needs 8 to 2^31-1 blocks: " + device.blockCount());
        }
        int bs = device.blockSize();
        InodeRecord rootRecord = new InodeRecord(CowImage.ROOT_INO, FileType.DIRECTORY, 2, 0, null, null, Map.of(), null);
        byte[] stream = MetadataCodec.encode(List.of(rootRecord));
        long generation = 1;
        long rootGroup = CowImage.ROOT_INO / groupSize;
        TreeMap<Long, GroupRef> groups = new TreeMap<>();
        groups.put(rootGroup, new GroupRef(generation, 2, stream.length, CowImage.crc(stream), null));
        byte[] index = InodeGroupIndex.encode(groupSize, groups);
        try {
            byte[] zero = new byte[bs];
            write(device, 0, zero);
            write(device, 1, zero);
            device.flush();
            write(device, 2, MetaBlockDescriptor.encode(bs, generation, 0, stream, 0, stream.length));
            write(device, 3, MetaBlockDescriptor.encode(bs, generation, 0, index, 0, index.length));
            device.flush();
            Superblock sb = new Superblock(bs, device.blockCount(), generation, 3, index.length, CowImage.crc(index), CowImage.ROOT_INO + 1);
            write(device, generation % 2, SuperblockDescriptor.encode(sb, bs));
            device.flush();
            // Generation 1 is durable: seal it in the other slot (see SuperblockDescriptor).
            write(device, (generation + 1) % 2, SuperblockDescriptor.withSeal(zero, generation));
            device.flush();
        } catch (IOException e) {
            throw new VfsException(Errno.EIO, device.name(), "mkfs: " + e.getMessage(), e);
        }
    }

    /**
     * Mounts the last durable commit on {@code device}. When that commit fails validation (a
     * damaged or inconsistent metadata block, even one whose checksum holds) and the other
     * superblock slot holds the previous commit intact, that one is mounted <b>read-only</b>:
     * its data can be copied off, and nothing is written, so the damaged commit stays on the
     * device for inspection. {@link #damagedCommit()} then says what was refused.
     *
     * @throws VfsException EUCLEAN naming the defect when no commit on the device is a valid
     *         cowfs (both, when both slots were tried), EIO on device errors
     */
    public static CowFs mount(BlockDevice device) throws VfsException {
        return mount(device, DEFAULT_CACHE_BYTES);
    }

    /**
     * Mounts like {@link #mount(BlockDevice)}, keeping up to {@code cacheBytes} of clean data
     * blocks in memory (0: every read goes to the device).
     */
    public static CowFs mount(BlockDevice device, long cacheBytes) throws VfsException {
        if (cacheBytes < 0) {
            throw new IllegalArgumentException("cowfs cache size must not be negative: " + cacheBytes);
        }
        return mount(device, cacheBytes, InodeGroupIndex.SOLO_RECORD_BYTES);
    }

    /**
     * Mounts with records over {@code soloRecordBytes} written alone (tests make inodes move
     * between shared and solo groups often; the reader accepts any placement).
     */
    static CowFs mount(BlockDevice device, long cacheBytes, int soloRecordBytes) throws VfsException {
        CowImage.Selection selection = CowImage.select(device);
        return new CowFs(device, selection, cacheBytes, soloRecordBytes);
    }

    /**
     * Why the newest commit was refused when mount fell back to the previous one (read-only),
     * naming the generation and the damaged block or field; empty when the newest commit mounted.
     */
    public java.util.Optional<String> damagedCommit() {
        return java.util.Optional.ofNullable(damagedCommit);
    }

    /**
     * Why mount took the newest commit on the device as cut before its flush (a power cut during
     * a commit whose fsync never returned) and mounted the previous one, writable; empty when the
     * newest commit mounted.
     */
    public java.util.Optional<String> incompleteCommit() {
        return java.util.Optional.ofNullable(incompleteCommit);
    }

    private static void write(BlockDevice device, long block, byte[] bytes) throws IOException {
        device.write(block, MemorySegment.ofArray(bytes));
    }

    /** The generation of the last durable commit. */
    public long generation() {
        return generation;
    }

    @Override
    public String type() {
        return "cowfs";
    }

    @Override
    public Vnode root() {
        return root;
    }

    @Override
    public boolean isReadOnly() {
        return damagedCommit != null;
    }

    @Override
    public void sync() throws VfsException {
        commit();
    }

    @Override
    public void unmount() throws VfsException {
        if (!unmounted && failure == null && damagedCommit == null) {
            commit();
            if (sealPending) {
                try {
                    device.flush(); // the last seal durable: the next mount need not verify the commit
                } catch (IOException e) {
                    failure = e.getMessage();
                    throw VfsException.of(Errno.EIO, "flushing the seal of generation " + generation + " on " + device.name() + ": " + e.getMessage());
                }
                sealPending = false;
            }
        }
        unmounted = true;
    }

    @Override
    public void reclaim(Vnode vnode) {
        CowInode inode = (CowInode) vnode;
        inode.releaseBlocks();
        inodes.remove(inode.ino());
        groups.reclaimed(inode.ino(), inodes);
    }

    // ---------------------------------------------------------------- used by CowInode

    void checkUsable() throws VfsException {
        if (failure != null) {
            throw VfsException.of(Errno.EIO, "cowfs on " + device.name() + " failed earlier (" + failure + "): remount");
        }
        if (unmounted) {
            throw VfsException.of(Errno.EIO, "cowfs on " + device.name() + " is unmounted");
        }
    }

    /** {@link #checkUsable()}, and EROFS when mounted read-only after a damaged commit. */
    void checkWritable() throws VfsException {
        checkUsable();
        if (damagedCommit != null) {
            throw VfsException.of(Errno.EROFS, "cowfs on " + device.name() + " is read-only: " + damagedCommit);
        }
    }

    /** A new inode; ENOSPC when inode numbers are used up (they are never reused). */
    CowInode newInode(FileType type) throws VfsException {
        if (nextIno > CowImage.MAX_INO) {
            throw VfsException.of(Errno.ENOSPC, "cowfs on " + device.name() + ": inode numbers used up");
        }
        CowInode inode = new CowInode(this, nextIno++, type);
        inodes.put(inode.ino(), inode);
        markDirty(inode);
        return inode;
    }

    /** {@code inode}'s record changed: its group is rewritten at the next commit. */
    void markDirty(CowInode inode) {
        groups.markDirty(inode.ino());
    }

    void release(long block) {
        allocator.release(block);
        cache.forget(block);
    }

    /**
     * The contents of device block {@code block}, checked against {@code crc} when read from the
     * device. The array may be shared with the cache: callers must not change it.
     */
    byte[] readVerified(long block, int crc, CowInode owner, int index) throws VfsException {
        if (block < SuperblockDescriptor.SLOTS || block >= blockCount) { // mount checked every pointer; never trusted
            throw VfsException.of(Errno.EIO, "inode " + owner.ino() + " file block " + index + " points at device block " + block
                    + " outside 2.." + (blockCount - 1));
        }
        byte[] cached = cache.get(block);
        if (cached != null) {
            return cached;
        }
        byte[] bytes = new byte[blockSize];
        try {
            device.read(block, MemorySegment.ofArray(bytes));
        } catch (IOException e) {
            throw VfsException.of(Errno.EIO, "reading block " + block + " of inode " + owner.ino() + ": " + e.getMessage());
        }
        if (CowImage.crc(bytes) != crc) {
            throw VfsException.of(Errno.EIO, "checksum mismatch in device block " + block + " (file block " + index
                    + " of inode " + owner.ino() + ")");
        }
        cache.remember(block, bytes);
        return bytes;
    }

    /**
     * Before {@code newBlocks} more blocks turn dirty: commits when the dirty limit would be
     * passed, and fails with ENOSPC when the device could not hold the next commit.
     */
    void reserve(long newBlocks) throws VfsException {
        if ((dirtyBlocks + newBlocks) * blockSize > DIRTY_LIMIT_BYTES) {
            commit();
        }
        long needed = blocksForNextCommit(newBlocks);
        if (needed > allocator.free()) {
            commit(); // frees the blocks the previous commit held
            needed = blocksForNextCommit(newBlocks);
            if (needed > allocator.free()) {
                throw VfsException.of(Errno.ENOSPC, "cowfs on " + device.name() + ": " + allocator.free() + " blocks free");
            }
        }
    }

    /**
     * Free blocks the next commit may need once {@code newBlocks} more data blocks are dirty: the
     * dirty data, the dirty groups' chains and the index written anew (doubled, as they may grow
     * with new inodes and block pointers), and a margin.
     */
    private long blocksForNextCommit(long newBlocks) {
        long data = dirtyBlocks + newBlocks;
        long pointerGrowth = data * 12 / MetaBlockDescriptor.payloadCapacity(blockSize) + 1;
        return data + 2L * (groups.blocksToRewrite() + pointerGrowth) + 4;
    }

    /** Makes every change durable (the commit protocol of the class comment). */
    void commit() throws VfsException {
        checkUsable();
        if (damagedCommit != null || (!groups.isDirty() && dirtyBlocks == 0)) {
            return; // read-only: nothing can be dirty, and nothing is written
        }
        if (generation >= MAX_GENERATION) {
            throw VfsException.of(Errno.ENOSPC, "cowfs on " + device.name() + ": generation " + generation + " is the last");
        }
        runs.reset();
        try {
            // 1. Dirty data to fresh blocks (every inode with dirty data is a dirty inode).
            for (long ino : groups.dirtyInos()) {
                CowInode inode = inodes.get(ino);
                if (inode != null) {
                    inode.writeDirtyBlocks(this);
                }
            }
            dirtyBlocks = 0;
            // 2. The groups of changed inodes, then the index, to fresh chains.
            long next = generation + 1;
            InodeGroups.Pending pending = groups.write(inodes, next, nextIno, this::writeChain);
            runs.finish();
            byte[] index = pending.index();
            Superblock sb = new Superblock(blockSize, blockCount, next, pending.indexChain()[0], index.length, CowImage.crc(index), nextIno);
            byte[] superblock = SuperblockDescriptor.encode(sb, blockSize);
            // No flush between the blocks and the superblock that names them: a cut before the
            // flush below may keep the superblock and lose some of them. Mount then finds this
            // commit unsealed, checks every block it wrote against the checksums its superblock
            // chains to, and takes the previous commit (intact: nothing it references was
            // overwritten) when one fails (CowImage.select).
            write(device, next % 2, superblock);
            // The one ordering point: the commit is durable once this flush returns.
            device.flush();
            generation = next;
            // The replaced chains are no longer referenced by the durable commit. Every block
            // still in use is then exactly what the new commit references (plus the blocks of
            // files unlinked but still open), so that set becomes the protected one.
            groups.committed(pending, allocator);
            allocator.committedLive();
            // Sealed after the flush, over the previous superblock's slot (no longer needed to
            // recover; its bytes [0, 64) are rewritten unchanged): a sealed commit that fails
            // validation later is damage, not a cut. Durable with the next flush.
            try {
                write(device, (next + 1) % 2, SuperblockDescriptor.withSeal(superblockBlock, next));
            } catch (IOException e) {
                failure = e.getMessage();
                throw VfsException.of(Errno.EIO, "sealing generation " + next + " on " + device.name() + " (the commit itself is durable): "
                        + e.getMessage());
            }
            superblockBlock = superblock;
            sealPending = true;
        } catch (IOException e) {
            failure = e.getMessage();
            throw VfsException.of(Errno.EIO, "commit of generation " + (generation + 1) + " on " + device.name() + ": " + e.getMessage());
        }
    }

    /** Writes {@code stream} to a fresh chain of metadata blocks of commit {@code commit}; its blocks. */
    private long[] writeChain(byte[] stream, long commit) throws IOException {
        int capacity = MetaBlockDescriptor.payloadCapacity(blockSize);
        int length = Math.max(1, (stream.length + capacity - 1) / capacity);
        long[] blocks = new long[length];
        for (int i = 0; i < length; i++) {
            blocks[i] = allocateOrFail();
        }
        for (int i = 0; i < length; i++) {
            int from = i * capacity;
            long link = i + 1 < length ? blocks[i + 1] : 0;
            runs.write(blocks[i], MetaBlockDescriptor.encode(blockSize, commit, link, stream, from, Math.min(capacity, stream.length - from)));
        }
        return blocks;
    }

    long allocateOrFail() throws IOException {
        long block = allocator.allocate();
        if (block < 0) {
            throw new IOException("no free block (space reservation was wrong)");
        }
        return block;
    }

    /** Writes a data block (in the commit's runs); {@code bytes} then belongs to the cache and must not change. */
    void writeBlock(long block, byte[] bytes) throws IOException {
        runs.write(block, bytes);
        cache.remember(block, bytes);
    }

    /** Read-cache hits and misses since mount, and blocks held: {@code [hits, misses, blocks]}. */
    public long[] cacheStatistics() {
        return new long[] {cache.hits(), cache.misses(), cache.size()};
    }
}
