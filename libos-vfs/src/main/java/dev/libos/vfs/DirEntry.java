package dev.libos.vfs;

/** One name in a directory listing ({@code readdir}): never "." or "..". */
public record DirEntry(String name, long ino, FileType type) {
}
