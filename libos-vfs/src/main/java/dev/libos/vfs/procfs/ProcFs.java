package dev.libos.vfs.procfs;

import dev.libos.api.LibOS;
import dev.libos.api.memory.MemoryStats;
import dev.libos.api.thread.CpuStats;
import dev.libos.vfs.DirEntry;
import dev.libos.vfs.FileType;
import dev.libos.vfs.spi.FileSystem;
import dev.libos.vfs.spi.Vnode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Kernel counters as text files, usually mounted on /proc: {@code threads}, {@code memory},
 * {@code cpus} from a booted {@link LibOS}, plus any extra file a caller registers (the mount
 * table, network or driver counters). Read-only. Each read renders the file afresh, so a read
 * that spans calls can see two snapshots; read a file with one large buffer.
 */
public final class ProcFs implements FileSystem {
    private final TreeMap<String, ProcFile> files = new TreeMap<>();
    private final Vnode root = new ProcDirectory();
    private long nextIno = 2;

    /** The standard files of {@code os}. */
    public ProcFs(LibOS os) {
        register("threads", () -> "live " + os.threads().liveThreads() + "\nstarted " + os.threads().startedThreads() + "\n");
        register("memory", () -> {
            MemoryStats m = os.memory().stats();
            StringBuilder sb = new StringBuilder()
                    .append("pageSize ").append(m.pageSize()).append('\n')
                    .append("totalPages ").append(m.totalPages()).append('\n')
                    .append("freePages ").append(m.freePages()).append('\n')
                    .append("usedPages ").append(m.usedPages()).append('\n');
            for (MemoryStats.Pool p : m.pools()) {
                sb.append("pool ").append(p.name()).append(" bufferSize ").append(p.bufferSize())
                        .append(" capacity ").append(p.capacity()).append(" inUse ").append(p.inUse()).append('\n');
            }
            return sb.toString();
        });
        register("cpus", () -> {
            StringBuilder sb = new StringBuilder("count ").append(os.cpus().count()).append('\n');
            for (int cpu = 0; cpu < os.cpus().count(); cpu++) {
                CpuStats s = os.cpus().stats(cpu);
                sb.append("cpu").append(cpu).append(" dispatches ").append(s.dispatches())
                        .append(" localWakeups ").append(s.localWakeups()).append(" remoteWakeups ").append(s.remoteWakeups())
                        .append(" idleParks ").append(s.idleParks()).append(" timersFired ").append(s.timersFired())
                        .append(" runQueue ").append(s.runQueueLength()).append('\n');
            }
            return sb.toString();
        });
    }

    /** Adds file {@code name} whose contents {@code render} produces on every read. */
    public ProcFs register(String name, Supplier<String> render) {
        if (name.isEmpty() || name.contains("/")) {
            throw new IllegalArgumentException("bad procfs file name: " + name);
        }
        files.put(name, new ProcFile(nextIno++, render));
        return this;
    }

    @Override
    public String type() {
        return "procfs";
    }

    @Override
    public Vnode root() {
        return root;
    }

    @Override
    public boolean isReadOnly() {
        return true;
    }

    @Override
    public void sync() {
    }

    @Override
    public void unmount() {
    }

    private final class ProcDirectory implements Vnode {
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
            return files.size();
        }

        @Override
        public int links() {
            return 2;
        }

        @Override
        public Vnode lookup(String name) {
            return files.get(name);
        }

        @Override
        public List<DirEntry> readdir() {
            List<DirEntry> list = new ArrayList<>();
            for (Map.Entry<String, ProcFile> e : files.entrySet()) {
                list.add(new DirEntry(e.getKey(), e.getValue().ino, FileType.REGULAR));
            }
            return list;
        }
    }

    private record ProcFile(long ino, Supplier<String> render) implements Vnode {
        private byte[] contents() {
            return render.get().getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public FileType type() {
            return FileType.REGULAR;
        }

        /** Size of a fresh rendering (Linux reports 0; a size lets readers allocate once). */
        @Override
        public long size() {
            return contents().length;
        }

        @Override
        public int links() {
            return 1;
        }

        @Override
        public Vnode lookup(String name) {
            return null;
        }

        @Override
        public List<DirEntry> readdir() {
            return List.of();
        }

        @Override
        public int read(long position, ByteBuffer dst) {
            byte[] bytes = contents();
            if (position >= bytes.length) {
                return dst.hasRemaining() ? -1 : 0;
            }
            int n = (int) Math.min(dst.remaining(), bytes.length - position);
            dst.put(bytes, (int) position, n);
            return n;
        }
    }
}
