package dev.libos.vfs;

import dev.libos.vfs.spi.Vnode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable snapshot of the mounts. The VFS publishes a new snapshot through a volatile
 * field on every mount and unmount (copy-on-write), so path resolution reads it without locks.
 */
final class MountTable {
    private record Cover(Mount parent, Vnode dir) {
    }

    private final Mount root;
    private final Map<Cover, Mount> byCovered;
    private final List<Mount> mounts;

    private MountTable(Mount root, Map<Cover, Mount> byCovered, List<Mount> mounts) {
        this.root = root;
        this.byCovered = byCovered;
        this.mounts = mounts;
    }

    static MountTable of(Mount root) {
        return new MountTable(root, Map.of(), List.of(root));
    }

    Mount root() {
        return root;
    }

    /** The mount covering {@code dir} of {@code parent}, or null. */
    Mount mountedOn(Mount parent, Vnode dir) {
        return byCovered.isEmpty() ? null : byCovered.get(new Cover(parent, dir));
    }

    List<Mount> mounts() {
        return mounts;
    }

    boolean hasChildren(Mount mount) {
        for (Mount m : mounts) {
            if (m.parent == mount) {
                return true;
            }
        }
        return false;
    }

    MountTable with(Mount mount) {
        Map<Cover, Mount> covers = new HashMap<>(byCovered);
        covers.put(new Cover(mount.parent, mount.covered), mount);
        List<Mount> list = new ArrayList<>(mounts);
        list.add(mount);
        return new MountTable(root, Map.copyOf(covers), List.copyOf(list));
    }

    MountTable without(Mount mount) {
        Map<Cover, Mount> covers = new HashMap<>(byCovered);
        covers.remove(new Cover(mount.parent, mount.covered));
        List<Mount> list = new ArrayList<>(mounts);
        list.remove(mount);
        return new MountTable(root, Map.copyOf(covers), List.copyOf(list));
    }
}
