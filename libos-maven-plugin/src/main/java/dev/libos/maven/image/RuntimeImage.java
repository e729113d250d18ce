package dev.libos.maven.image;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

/**
 * The runtime segment of the initramfs: a runtime made by jlink from the JDK that runs Maven,
 * with only the modules jdeps finds in the application, the host libraries it needs (libc, the
 * loader), the console device and the empty mount points.
 *
 * <p>Both steps are slow (jlink about 5 s, compressing 60 MB about 2 s) and depend on few
 * inputs, so results are cached under the cache directory, keyed by a digest of the inputs:
 * jdeps by the jars' content, the segment by the JDK, the modules and the host libraries.
 */
public final class RuntimeImage implements RuntimeProvider {
    /** Modules every image needs whatever jdeps says: Boot reads the JVM start time. */
    public static final List<String> BASE_MODULES = List.of("java.base", "java.management");
    /**
     * jlink options: small, no debug data, nothing a guest does not use, and the default CDS
     * archive of the linked modules (class data sharing: the JVM maps the boot classes already
     * parsed instead of loading them, which under TCG emulation is seconds of boot). jlink makes
     * it deterministically (two builds, one archive) and the JVM accepts it after the initramfs
     * resets every mtime to 0 and moves the runtime to /jvm.
     */
    public static final List<String> JLINK_OPTIONS = List.of(
            "--strip-debug", "--no-header-files", "--no-man-pages", "--compress=zip-0", "--generate-cds-archive");
    /**
     * The archive for heaps of 32 GiB and more (no compressed oops), dropped from the runtime: a
     * guest's memory is far below that, and it would add 14 MB (3.7 MB compressed). A JVM given
     * such a heap still runs, without class data sharing.
     */
    static final String UNUSED_CDS_ARCHIVE = "lib/server/classes_nocoops.jsa";
    /** Bumped whenever the way a segment is made changes, so older cache entries are not used. */
    static final int CACHE_FORMAT = 3;
    /** Inode numbers of the runtime segment start here. */
    public static final long FIRST_INODE = 1;

    private final Path cacheDirectory;
    private final Path javaHome;
    private final Steps steps;

    /**
     * @param cacheDirectory where jdeps and runtime results are kept between builds
     * @param javaHome       the JDK whose jlink builds the runtime (the one running Maven)
     */
    public RuntimeImage(Path cacheDirectory, Path javaHome) {
        this(cacheDirectory, javaHome, Steps.silent());
    }

    /**
     * @param cacheDirectory where jdeps and runtime results are kept between builds
     * @param javaHome       the JDK whose jlink builds the runtime (the one running Maven)
     * @param steps          reports jdeps, jlink and compression when they take a second or more
     */
    public RuntimeImage(Path cacheDirectory, Path javaHome, Steps steps) {
        this.cacheDirectory = cacheDirectory;
        this.javaHome = javaHome;
        this.steps = steps;
    }

    /** The modules that {@code jars} need, from jdeps, plus {@link #BASE_MODULES}; sorted. */
    @Override
    public Set<String> modules(List<Path> jarsAndDirectories) throws IOException {
        StringBuilder key = new StringBuilder(javaHome.toString());
        for (Path input : jarsAndDirectories) {
            key.append('\n').append(Files.isDirectory(input) ? directoryDigest(input) : Sha256.of(input));
        }
        Path cached = cacheDirectory.resolve("modules").resolve(Sha256.of(key.toString()) + ".txt");
        Set<String> modules = new TreeSet<>(BASE_MODULES);
        if (Files.isRegularFile(cached)) {
            modules.addAll(Files.readAllLines(cached));
            return modules;
        }
        List<String> args = new ArrayList<>(List.of("--print-module-deps", "--ignore-missing-deps",
                "--multi-release", Integer.toString(Runtime.version().feature()), "-q"));
        for (Path input : jarsAndDirectories) {
            args.add(input.toString());
        }
        String output = steps.time("jdeps (" + jarsAndDirectories.size() + " jars and directories)", () -> runTool("jdeps", args));
        for (String module : output.trim().split(",")) {
            if (!module.isBlank()) {
                modules.add(module.trim());
            }
        }
        Files.createDirectories(cached.getParent());
        Files.write(cached, modules);
        return modules;
    }

    /**
     * A compressed runtime segment.
     *
     * @param file          the segment, in the cache
     * @param unpackedBytes size of its cpio archive once decompressed
     */
    public record Segment(Path file, long unpackedBytes) {
    }

    /**
     * The compressed runtime segment for {@code modules}, built or taken from the cache. The
     * cache key covers the JDK, the modules and the jlink options; a record next to the segment
     * lists the host libraries copied in with their digests, checked on every use, so a libc
     * update rebuilds the segment.
     *
     * @param progress receives a line for each slow step
     */
    @Override
    public Segment segment(Set<String> modules, java.util.function.Consumer<String> progress) throws IOException {
        String release = Files.readString(javaHome.resolve("release"));
        String key = Sha256.of("format " + CACHE_FORMAT + "\n" + javaHome + "\n" + release + "\n" + modules + "\n" + JLINK_OPTIONS);
        Path segment = cacheDirectory.resolve("runtime").resolve(key + ".cpio.gz");
        Path record = cacheDirectory.resolve("runtime").resolve(key + ".properties");
        if (Files.isRegularFile(segment) && Files.isRegularFile(record)) {
            java.util.Properties recorded = new java.util.Properties();
            try (var in = Files.newInputStream(record)) {
                recorded.load(in);
            }
            if (librariesUnchanged(recorded)) {
                progress.accept("runtime " + modules + " from cache " + segment);
                return new Segment(segment, Long.parseLong(recorded.getProperty("unpacked")));
            }
        }
        Path work = Files.createTempDirectory(Files.createDirectories(cacheDirectory), "jlink-");
        Path output = work.resolve("jvm");
        try {
            progress.accept("jlink " + String.join(",", modules));
            List<String> args = new ArrayList<>(List.of("--add-modules", String.join(",", modules)));
            args.addAll(JLINK_OPTIONS);
            args.addAll(List.of("--output", output.toString()));
            steps.run("jlink and CDS archive (" + modules.size() + " modules)", () -> {
                runProcess(javaHome.resolve("bin/jlink"), args);
                return null;
            });
            Files.deleteIfExists(output.resolve(UNUSED_CDS_ARCHIVE));
            progress.accept("compressing runtime");
            Set<String> libraries = new TreeSet<>();
            List<CpioEntry> entries = runtimeEntries(output, libraries);
            steps.run("compressing the runtime", () -> {
                SegmentWriter.write(entries, FIRST_INODE, segment);
                return null;
            });
            java.util.Properties recorded = new java.util.Properties();
            recorded.setProperty("unpacked", Long.toString(unpackedSize(segment)));
            for (String library : libraries) {
                recorded.setProperty("library." + library, Sha256.of(Path.of(library)));
            }
            try (var out = Files.newOutputStream(record)) {
                recorded.store(out, null);
            }
        } finally {
            deleteTree(work);
        }
        return new Segment(segment, Long.parseLong(readUnpacked(record)));
    }

    private static String readUnpacked(Path record) throws IOException {
        java.util.Properties recorded = new java.util.Properties();
        try (var in = Files.newInputStream(record)) {
            recorded.load(in);
        }
        return recorded.getProperty("unpacked");
    }

    private static boolean librariesUnchanged(java.util.Properties recorded) throws IOException {
        if (recorded.getProperty("unpacked") == null) {
            return false;
        }
        for (String name : recorded.stringPropertyNames()) {
            if (name.startsWith("library.")) {
                Path library = Path.of(name.substring("library.".length()));
                if (!Files.isRegularFile(library) || !Sha256.of(library).equals(recorded.getProperty(name))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static long unpackedSize(Path segment) throws IOException {
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(segment), 1 << 16)) {
            return in.transferTo(java.io.OutputStream.nullOutputStream());
        }
    }

    /** The entries of the runtime segment for a jlink output directory. */
    static List<CpioEntry> runtimeEntries(Path jlinkOutput, Set<String> hostLibraries) throws IOException {
        List<CpioEntry> entries = new ArrayList<>(SegmentWriter.tree(jlinkOutput, "jvm"));
        List<Path> elfFiles = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(jlinkOutput)) {
            for (Path file : (Iterable<Path>) walk::iterator) {
                if (NativeLibraries.isElf(file)) {
                    elfFiles.add(file);
                }
            }
        }
        Set<String> directories = new TreeSet<>();
        hostLibraries.addAll(NativeLibraries.neededBy(elfFiles, jlinkOutput));
        for (String library : hostLibraries) {
            String guest = library.substring(1);
            SegmentWriter.parents(guest).forEach(d -> directories.add(d.path()));
            // The loader finds libraries by path: a host symlink becomes a file holding its target.
            entries.add(CpioEntry.file(guest, CpioEntry.Content.ofFile(Path.of(library)), true));
        }
        directories.addAll(List.of("dev", "proc", "sys", "tmp"));
        directories.forEach(d -> entries.add(CpioEntry.directory(d)));
        // The kernel opens /dev/console for init's standard streams before init runs.
        entries.add(CpioEntry.characterDevice("dev/console", 5, 1));
        return entries;
    }

    private static String directoryDigest(Path directory) throws IOException {
        StringBuilder digests = new StringBuilder();
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path file : (Iterable<Path>) walk.filter(Files::isRegularFile).sorted()::iterator) {
                digests.append(directory.relativize(file)).append('=').append(Sha256.of(file)).append('\n');
            }
        }
        return Sha256.of(digests.toString());
    }

    private static String runTool(String name, List<String> args) throws IOException {
        ToolProvider tool = ToolProvider.findFirst(name).orElseThrow(() -> new IOException(
                name + " is not available in this JDK (" + System.getProperty("java.home") + "): run Maven on a JDK 25"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = tool.run(new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
        if (status != 0) {
            throw new IOException(name + " " + String.join(" ", args) + " failed (" + status + "): " + out + err);
        }
        return out.toString();
    }

    /**
     * Runs a JDK tool as its own process. jlink runs this way, not in Maven's JVM: two in-process
     * runs were seen to write lib/modules differently, separate processes never were.
     */
    private static void runProcess(Path tool, List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(tool.toString());
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        try {
            if (process.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " failed (" + process.exitValue() + "): " + output);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + tool, e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
