package dev.libos.vfs;

import dev.libos.vfs.spi.Vnode;

/** A vnode and the mount it was reached in. */
record Location(Mount mount, Vnode vnode) {
}
