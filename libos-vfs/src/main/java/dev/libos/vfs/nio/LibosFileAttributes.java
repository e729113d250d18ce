package dev.libos.vfs.nio;

import dev.libos.vfs.FileStat;
import dev.libos.vfs.FileType;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/** {@link BasicFileAttributes} of a {@link FileStat}; times are the epoch (the VFS keeps none). */
record LibosFileAttributes(FileStat stat) implements BasicFileAttributes {
    private static final FileTime EPOCH = FileTime.fromMillis(0);

    @Override
    public FileTime lastModifiedTime() {
        return EPOCH;
    }

    @Override
    public FileTime lastAccessTime() {
        return EPOCH;
    }

    @Override
    public FileTime creationTime() {
        return EPOCH;
    }

    @Override
    public boolean isRegularFile() {
        return stat.type() == FileType.REGULAR;
    }

    @Override
    public boolean isDirectory() {
        return stat.type() == FileType.DIRECTORY;
    }

    @Override
    public boolean isSymbolicLink() {
        return stat.type() == FileType.SYMLINK;
    }

    @Override
    public boolean isOther() {
        return stat.type() == FileType.CHAR_DEVICE;
    }

    @Override
    public long size() {
        return stat.size();
    }

    @Override
    public Object fileKey() {
        return stat.device() + ":" + stat.ino();
    }
}
