package dev.libos.maven.image;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A kernel's loadable modules as {@code modules.dep} (depmod(8), {@code /lib/modules/VERSION/})
 * lists them, one line per module: {@code kernel/drivers/net/virtio_net.ko: kernel/net/core/failover.ko ...},
 * the path relative to the modules directory, then every module it needs. Resolving names gives
 * the load order an init needs: every module after all the modules it needs.
 */
public final class KernelModules {
    /** Upper bound on modules.dep lines, so a hostile file cannot make the build allocate without end. */
    static final int MAX_LINES = 100_000;

    private final Map<String, String> pathByName;
    private final Map<String, List<String>> dependencies;

    private KernelModules(Map<String, String> pathByName, Map<String, List<String>> dependencies) {
        this.pathByName = pathByName;
        this.dependencies = dependencies;
    }

    /**
     * Parses a {@code modules.dep} file's text.
     *
     * @param source names the file in error messages
     * @throws IllegalArgumentException naming the line that is not {@code PATH: [PATH...]}
     */
    public static KernelModules parse(String text, String source) {
        Map<String, String> pathByName = new LinkedHashMap<>();
        Map<String, List<String>> dependencies = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        if (lines.length > MAX_LINES) {
            throw new IllegalArgumentException(source + ": more than " + MAX_LINES + " lines");
        }
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException(source + " line " + (i + 1) + " is not 'MODULE: DEPENDENCIES': '" + line + "'");
            }
            String path = checkedPath(line.substring(0, colon).strip(), source, i + 1);
            List<String> needs = new ArrayList<>();
            for (String word : line.substring(colon + 1).strip().split("\\s+")) {
                if (!word.isEmpty()) {
                    needs.add(checkedPath(word, source, i + 1));
                }
            }
            pathByName.putIfAbsent(nameOf(path), path);
            dependencies.put(path, List.copyOf(needs));
        }
        return new KernelModules(pathByName, dependencies);
    }

    /**
     * The paths of {@code names} and of every module they need, each once, every module after
     * the modules it needs (modprobe's order), in the order the names are given otherwise.
     *
     * @throws IllegalArgumentException naming a module the file does not list (one built into the
     *                                  kernel is not a module either: such a kernel needs no loading
     *                                  for it, but this image expects modules), or a dependency cycle
     */
    public List<String> loadOrder(List<String> names) {
        Set<String> ordered = new LinkedHashSet<>();
        for (String name : names) {
            String path = pathByName.get(normalisedName(name));
            if (path == null) {
                throw new IllegalArgumentException("module " + name + " is not in modules.dep");
            }
            visit(path, ordered, new LinkedHashSet<>());
        }
        return List.copyOf(ordered);
    }

    private void visit(String path, Set<String> ordered, Set<String> onPath) {
        if (ordered.contains(path)) {
            return;
        }
        if (!onPath.add(path)) {
            throw new IllegalArgumentException("modules.dep has a dependency cycle through " + path + ": " + onPath);
        }
        List<String> needs = dependencies.get(path);
        if (needs == null) {
            throw new IllegalArgumentException("module " + path + " is needed but has no line of its own in modules.dep");
        }
        // modules.dep lists the nearest dependencies first (modprobe loads the list from its end).
        for (String need : needs.reversed()) {
            visit(need, ordered, onPath);
        }
        onPath.remove(path);
        ordered.add(path);
    }

    /** {@code kernel/drivers/net/virtio_net.ko.xz} is module {@code virtio_net}. */
    public static String nameOf(String path) {
        String file = path.substring(path.lastIndexOf('/') + 1);
        int ko = file.indexOf(".ko");
        return normalisedName(ko < 0 ? file : file.substring(0, ko));
    }

    /** The kernel treats '-' and '_' in module names alike. */
    private static String normalisedName(String name) {
        return name.replace('-', '_');
    }

    private static String checkedPath(String path, String source, int line) {
        boolean ko = path.endsWith(".ko") || path.endsWith(".ko.xz") || path.endsWith(".ko.zst") || path.endsWith(".ko.gz");
        if (!ko || path.startsWith("/") || path.contains("..") || path.contains("\\")) {
            throw new IllegalArgumentException(source + " line " + line + ": '" + path
                    + "' is not a relative path to a .ko[.xz|.zst|.gz] file inside the modules directory");
        }
        return path;
    }
}
