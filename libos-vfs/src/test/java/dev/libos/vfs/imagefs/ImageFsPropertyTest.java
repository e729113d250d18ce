package dev.libos.vfs.imagefs;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.libos.hw.hosted.block.MemoryBlockDevice;
import dev.libos.vfs.Errno;
import dev.libos.vfs.FileType;
import dev.libos.vfs.HostileValues;
import dev.libos.vfs.VfsException;
import dev.libos.vfs.spi.Vnode;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Property (issue 16): an image whose header and table fields are set to hostile values, with
 * valid checksums, gives only clean errors (EUCLEAN at mount, EIO on read) or correct data:
 * every byte read from an inode is the byte that inode held when written, or zero past its
 * original end (a size edited up within the last, zero-padded block). Rerun with
 * {@code -Dcrafted.seed=N}; more with {@code -Dcrafted.iterations=N}.
 */
class ImageFsPropertyTest {
    private static final int BLOCK = 512;

    @Test
    @Timeout(120)
    void craftedFieldsGiveCleanErrorsOrCorrectData() {
        long seed = HostileValues.seed();
        int iterations = HostileValues.iterations(400);
        System.out.println("ImageFsPropertyTest seed=" + seed + " iterations=" + iterations + " (rerun: -Dcrafted.seed=" + seed + ")");
        int refused = 0;
        int readErrors = 0;
        int clean = 0;
        for (int i = 0; i < iterations; i++) {
            SplittableRandom random = new SplittableRandom(seed + i);
            byte[] image = randomTree(random).toBytes(BLOCK);
            Map<Long, byte[]> original = contents(image);
            ImageEditor editor = new ImageEditor(image);
            List<String> edits = new ArrayList<>();
            for (int n = random.nextInt(4) == 0 ? 2 + random.nextInt(2) : 1; n > 0; n--) {
                ImageEditor.Field field = editor.fields().get(random.nextInt(editor.fields().size()));
                long value = HostileValues.next(random, editor.get(field), field.width());
                editor.set(field, value);
                edits.add(field.name() + "=" + value);
            }
            String context = "iteration " + i + " of run seed " + seed + " (alone: -Dcrafted.seed=" + (seed + i)
                    + " -Dcrafted.iterations=1) edits " + edits;
            ImageFs fs;
            try {
                fs = ImageFs.mount(device(editor.toBytes()));
            } catch (VfsException e) {
                assertTrue(e.errno() == Errno.EUCLEAN || e.errno() == Errno.EIO, context + ": " + e.getMessage());
                refused++;
                continue;
            } catch (RuntimeException e) {
                throw new AssertionError(context + ": mount threw " + e, e);
            }
            try {
                readErrors += walk(fs, original, context);
                clean++;
            } catch (RuntimeException e) {
                throw new AssertionError(context + ": " + e, e);
            }
        }
        System.out.println("ImageFsPropertyTest: " + refused + " refused at mount, " + clean + " mounted (" + readErrors + " read errors)");
        assertTrue(refused > 0 && clean > 0, "both outcomes seen, seed=" + seed);
    }

    private static ImageWriter randomTree(SplittableRandom random) {
        ImageWriter writer = new ImageWriter();
        List<String> dirs = new ArrayList<>(List.of(""));
        for (int d = random.nextInt(3); d > 0; d--) {
            String dir = dirs.get(random.nextInt(dirs.size())) + "/d" + d;
            writer.addDirectory(dir);
            dirs.add(dir);
        }
        for (int f = 1 + random.nextInt(5); f > 0; f--) {
            byte[] bytes = new byte[random.nextInt(4 * BLOCK)];
            random.nextBytes(bytes);
            writer.addFile(dirs.get(random.nextInt(dirs.size())) + "/f" + f, bytes);
        }
        for (int l = random.nextInt(3); l > 0; l--) {
            writer.addSymlink(dirs.get(random.nextInt(dirs.size())) + "/l" + l, "f" + l);
        }
        return writer;
    }

    private static MemoryBlockDevice device(byte[] image) {
        MemoryBlockDevice device = new MemoryBlockDevice("crafted", BLOCK, image.length / BLOCK);
        device.load(image);
        return device;
    }

    /** Inode number to contents of every regular file of a valid image. */
    private static Map<Long, byte[]> contents(byte[] image) {
        Map<Long, byte[]> files = new HashMap<>();
        try {
            ImageFs fs = ImageFs.mount(device(image));
            for (Vnode node : reachable(fs)) {
                if (node.type() == FileType.REGULAR) {
                    ByteBuffer all = ByteBuffer.allocate((int) node.size());
                    node.read(0, all);
                    files.put(node.ino(), all.array());
                }
            }
        } catch (VfsException e) {
            throw new AssertionError("the unedited image must mount and read", e);
        }
        return files;
    }

    private static List<Vnode> reachable(ImageFs fs) throws VfsException {
        List<Vnode> nodes = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        ArrayDeque<Vnode> pending = new ArrayDeque<>(List.of(fs.root()));
        while (!pending.isEmpty() && nodes.size() < 10_000) {
            Vnode node = pending.poll();
            if (!seen.add(node.ino())) {
                continue;
            }
            nodes.add(node);
            if (node.type() == FileType.DIRECTORY) {
                for (var entry : node.readdir()) {
                    pending.add(node.lookup(entry.name()));
                }
            }
        }
        return nodes;
    }

    /** Reads everything reachable; the number of clean read errors. */
    private static int walk(ImageFs fs, Map<Long, byte[]> original, String context) {
        int errors = 0;
        List<Vnode> nodes;
        try {
            nodes = reachable(fs);
        } catch (VfsException e) {
            assertTrue(e.errno() == Errno.EIO || e.errno() == Errno.EUCLEAN, context + ": " + e.getMessage());
            return 1;
        }
        for (Vnode node : nodes) {
            try {
                node.links();
                switch (node.type()) {
                    case REGULAR -> checkFile(node, original.get(node.ino()), context);
                    case SYMLINK -> node.readlink();
                    default -> node.size();
                }
            } catch (VfsException e) {
                assertTrue(e.errno() == Errno.EIO || e.errno() == Errno.EUCLEAN, context + ": " + e.getMessage());
                errors++;
            }
        }
        return errors;
    }

    private static void checkFile(Vnode node, byte[] original, String context) throws VfsException {
        long size = node.size();
        // Read it all when small; else the first and the last block (sizes are bounded by the table).
        long[] starts = size <= 64 * BLOCK ? new long[] {0} : new long[] {0, size - BLOCK};
        for (long start : starts) {
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(size - start, 64 * BLOCK));
            int n = node.read(start, buffer);
            for (int k = 0; k < Math.max(n, 0); k++) {
                long at = start + k;
                byte expected = original != null && at < original.length ? original[(int) at] : 0;
                if (original == null || buffer.get(k) != expected) {
                    fail(context + ": inode " + node.ino() + " byte " + at + " is " + buffer.get(k) + ", written "
                            + (original == null ? "as no regular file" : expected));
                }
            }
        }
    }
}
