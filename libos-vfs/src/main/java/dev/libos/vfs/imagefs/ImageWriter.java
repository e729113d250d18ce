package dev.libos.vfs.imagefs;

import dev.libos.vfs.FileType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Builds a read-only image ({@link ImageHeaderDescriptor}): add directories, files and symlinks
 * by absolute path (parents are created), then {@link #toBytes}. The output depends only on
 * the tree (names sorted, no times), so identical input gives byte-identical images.
 */
public final class ImageWriter {
    private sealed interface Node permits Dir, File, Link {
    }

    private record Dir(TreeMap<String, Node> children) implements Node {
    }

    private record File(byte[] data) implements Node {
    }

    private record Link(String target) implements Node {
    }

    private final Dir root = new Dir(new TreeMap<>());

    /** An image of host directory {@code source} (regular files, directories and symlinks; others skipped). */
    public static ImageWriter fromDirectory(Path source) throws IOException {
        ImageWriter writer = new ImageWriter();
        try (Stream<Path> walk = Files.walk(source)) {
            for (Path p : (Iterable<Path>) walk.sorted()::iterator) {
                if (p.equals(source)) {
                    continue;
                }
                String path = "/" + source.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
                if (Files.isSymbolicLink(p)) {
                    writer.addSymlink(path, Files.readSymbolicLink(p).toString());
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    writer.addDirectory(path);
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    writer.addFile(path, Files.readAllBytes(p));
                }
            }
        }
        return writer;
    }

    public ImageWriter addDirectory(String path) {
        parentOf(path).children().computeIfAbsent(nameOf(path), n -> new Dir(new TreeMap<>()));
        return this;
    }

    public ImageWriter addFile(String path, byte[] data) {
        parentOf(path).children().put(nameOf(path), new File(data.clone()));
        return this;
    }

    public ImageWriter addSymlink(String path, String target) {
        if (target.isEmpty()) {
            throw new IllegalArgumentException("empty symlink target for " + path);
        }
        parentOf(path).children().put(nameOf(path), new Link(target));
        return this;
    }

    private static String nameOf(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (name.isEmpty() || name.equals(".") || name.equals("..") || !path.startsWith("/")) {
            throw new IllegalArgumentException("not an absolute path to a name: " + path);
        }
        return name;
    }

    private Dir parentOf(String path) {
        nameOf(path);
        Dir dir = root;
        String[] parts = path.substring(1).split("/");
        for (int i = 0; i < parts.length - 1; i++) {
            Node next = dir.children().computeIfAbsent(parts[i], n -> new Dir(new TreeMap<>()));
            if (!(next instanceof Dir d)) {
                throw new IllegalArgumentException(parts[i] + " in " + path + " is not a directory");
            }
            dir = d;
        }
        return dir;
    }

    /** The image with blocks of {@code blockSize} bytes (a power of two, at least 512). */
    public byte[] toBytes(int blockSize) {
        if (blockSize < 512 || Integer.bitCount(blockSize) != 1) {
            throw new IllegalArgumentException("block size must be a power of two of at least 512: " + blockSize);
        }
        // Number inodes breadth-first from the root (inode 1).
        List<Node> order = new ArrayList<>();
        java.util.IdentityHashMap<Node, Long> inos = new java.util.IdentityHashMap<>();
        order.add(root);
        inos.put(root, 1L);
        for (int i = 0; i < order.size(); i++) {
            if (order.get(i) instanceof Dir d) {
                for (Node child : d.children().values()) {
                    inos.put(child, (long) order.size() + 1);
                    order.add(child);
                }
            }
        }
        java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
        long nextBlock = 1;
        List<ImageTableCodec.Entry> entries = new ArrayList<>();
        for (Node node : order) {
            switch (node) {
                case Dir d -> {
                    Map<String, Long> children = new TreeMap<>();
                    d.children().forEach((name, child) -> children.put(name, inos.get(child)));
                    entries.add(new ImageTableCodec.Entry(FileType.DIRECTORY, children.size(), 0, null, children, null));
                }
                case File f -> {
                    int blocks = (f.data().length + blockSize - 1) / blockSize;
                    int[] crcs = new int[blocks];
                    byte[] padded = java.util.Arrays.copyOf(f.data(), blocks * blockSize);
                    for (int k = 0; k < blocks; k++) {
                        CRC32C crc = new CRC32C();
                        crc.update(padded, k * blockSize, blockSize);
                        crcs[k] = (int) crc.getValue();
                    }
                    entries.add(new ImageTableCodec.Entry(FileType.REGULAR, f.data().length, nextBlock, crcs, null, null));
                    data.writeBytes(padded);
                    nextBlock += blocks;
                }
                case Link l -> entries.add(new ImageTableCodec.Entry(FileType.SYMLINK, l.target().getBytes(StandardCharsets.UTF_8).length, 0, null, null, l.target()));
            }
        }
        byte[] table = ImageTableCodec.encode(entries);
        long tableBlocks = (table.length + blockSize - 1) / blockSize;
        long total = nextBlock + tableBlocks;
        if (total * blockSize > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("image of " + total * blockSize + " bytes exceeds 2 GiB");
        }
        byte[] image = new byte[(int) (total * blockSize)];
        CRC32C tableCrc = new CRC32C();
        tableCrc.update(table);
        ImageHeaderDescriptor.encode(new ImageHeaderDescriptor.Header(blockSize, total, nextBlock, table.length,
                (int) tableCrc.getValue()), image);
        byte[] dataBytes = data.toByteArray();
        System.arraycopy(dataBytes, 0, image, blockSize, dataBytes.length);
        System.arraycopy(table, 0, image, (int) (nextBlock * blockSize), table.length);
        return image;
    }
}
