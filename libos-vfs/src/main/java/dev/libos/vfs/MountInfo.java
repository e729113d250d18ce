package dev.libos.vfs;

/** One line of the mount table: where, what, and how. */
public record MountInfo(long device, String path, String type, boolean readOnly) {
}
