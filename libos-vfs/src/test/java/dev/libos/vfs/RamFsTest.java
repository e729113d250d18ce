package dev.libos.vfs;

import dev.libos.vfs.ramfs.RamFs;
import dev.libos.vfs.spi.FileSystem;

class RamFsTest extends FileSystemContract {
    @Override
    protected FileSystem newFileSystem() {
        return new RamFs();
    }
}
