package dev.libos.vfs.devfs;

import dev.libos.vfs.DirEntry;
import dev.libos.vfs.FileType;
import dev.libos.vfs.spi.FileSystem;
import dev.libos.vfs.spi.Vnode;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * Device files, usually mounted on /dev: {@code null} (reads end at once, writes vanish),
 * {@code zero} (reads zeros), {@code urandom} (reads from an injected random source) and
 * {@code console} (writes go to an injected stream, reads end at once). The namespace is fixed:
 * creating or removing names fails with EPERM.
 */
public final class DevFs implements FileSystem {
    private final DevDirectory root;

    /** Devices over the given entropy source and console stream. */
    public DevFs(RandomGenerator entropy, OutputStream console) {
        TreeMap<String, Vnode> devices = new TreeMap<>();
        devices.put("null", new DeviceNode(2, DeviceNode.Kind.NULL, null, null));
        devices.put("zero", new DeviceNode(3, DeviceNode.Kind.ZERO, null, null));
        devices.put("urandom", new DeviceNode(4, DeviceNode.Kind.URANDOM, entropy, null));
        devices.put("console", new DeviceNode(5, DeviceNode.Kind.CONSOLE, null, console));
        root = new DevDirectory(devices);
    }

    /** Devices over {@link SecureRandom} and {@link System#out}. */
    public static DevFs standard() {
        return new DevFs(new SecureRandom(), System.out);
    }

    @Override
    public String type() {
        return "devfs";
    }

    @Override
    public Vnode root() {
        return root;
    }

    @Override
    public boolean isReadOnly() {
        return false;
    }

    @Override
    public void sync() {
    }

    @Override
    public void unmount() {
    }

    /** The fixed root directory. */
    private static final class DevDirectory implements Vnode {
        private final TreeMap<String, Vnode> devices;

        DevDirectory(TreeMap<String, Vnode> devices) {
            this.devices = devices;
        }

        @Override
        public long ino() {
            return 1;
        }

        @Override
        public FileType type() {
            return FileType.DIRECTORY;
        }

        @Override
        public long size() {
            return devices.size();
        }

        @Override
        public int links() {
            return 2;
        }

        @Override
        public Vnode lookup(String name) {
            return devices.get(name);
        }

        @Override
        public List<DirEntry> readdir() {
            List<DirEntry> entries = new ArrayList<>();
            for (Map.Entry<String, Vnode> e : devices.entrySet()) {
                entries.add(new DirEntry(e.getKey(), e.getValue().ino(), e.getValue().type()));
            }
            return entries;
        }
    }
}
