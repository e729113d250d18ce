package dev.libos.vfs.cowfs;

/**
 * The POSIX contract over cowfs with one inode per group: every inode has its own chain, so
 * every test runs through many partial (incremental) commits, remount and fsck.
 */
class CowFsOneInodeGroupsTest extends CowFsTest {
    @Override
    protected int groupSize() {
        return 1;
    }
}
