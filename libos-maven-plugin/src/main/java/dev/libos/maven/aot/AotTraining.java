package dev.libos.maven.aot;

import dev.libos.maven.image.CpioEntry;
import dev.libos.maven.image.CpioNewc;
import dev.libos.maven.image.Sha256;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Makes the ahead-of-time cache the guest's JVM boots with (JDK 25, JEP 483: classes loaded and
 * linked ahead of time, with the archived heap objects that linking keeps), in three steps, all with
 * the image's own jlinked runtime and the guest's class path and JVM options. The class path is the
 * guest's relocated under a staging directory ({@link TrainingStage}): the JVM accepts a cache
 * whose jars moved together under another common prefix, as long as each has the size and mtime
 * it had at the dump, so every staged file gets mtime 0 like the initramfs's.
 * <ol>
 *   <li>A training run of the application writes the classes it loads
 *       ({@code -XX:DumpLoadedClassList}).</li>
 *   <li>That list is put in an order that does not depend on thread timing
 *       ({@link CanonicalClassList}), and every listed class's linkable constant pool entries are
 *       added from its class file ({@link LinkableEntries}) in place of those the training happened
 *       to resolve.</li>
 *   <li>{@code -Xshare:dump -XX:+AOTClassLinking} makes the archive from the list with the options
 *       that make a dump deterministic ({@link #DETERMINISTIC_DUMP}), the dumping JVM's clock is
 *       taken out of it ({@link ArchiveClock}), and a JVM maps it with its CRCs checked.</li>
 * </ol>
 * So two builds whose trainings load the same classes give the same cache, byte for byte. The
 * one-step {@code -XX:AOTCacheOutput} workflow (JEP 514) is not used: its training records method
 * profiles (JEP 515) and resolved constant pool entries that differ from run to run, and its
 * configuration file lays classes out in load order, so no two of its caches are equal.
 *
 * <p>The cache is also kept under the cache directory keyed by every input (with its class list
 * next to it), so a rebuild with the same inputs skips the training.
 */
public final class AotTraining {
    /** Where the cache lives in the guest. */
    public static final String GUEST_FILE = "app/libos.aot";
    /**
     * The JVM options that boot with it. {@code ArchiveRelocationMode=0}: map the cache at the
     * address it was made for (falling back to relocation only when that range is taken) instead
     * of the default of always relocating, which rewrites every pointer of the ~13 MB cache: 100 ms
     * on the host, seconds under TCG. A freshly booted guest has the range free.
     */
    public static final List<String> JVM_OPTIONS = List.of("-XX:AOTCache=/" + GUEST_FILE,
            "-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0");
    /** The system property that tells Boot it runs as the AOT training (it rehearses the guest boot). */
    static final String TRAINING_PROPERTY = "libos.aot.training";
    /** Bumped when the way a cache is made changes. */
    static final int CACHE_FORMAT = 3;
    /**
     * What makes {@code -Xshare:dump} give the same bytes for the same class list (the JDK's own
     * DeterministicDump test uses these): no resizing of thread-local allocation buffers, one GC
     * thread, and the JDK's base archive mapped where it was made rather than at a random address
     * (HotSpot's default, {@code ArchiveRelocationMode=1}, changes the order of tables keyed by
     * address). The heap's size is fixed by the caller ({@code -Xms}, {@code -Xmn}).
     */
    static final List<String> DETERMINISTIC_DUMP = List.of("-XX:-ResizeTLAB", "-XX:-ResizePLAB", "-XX:ParallelGCThreads=1",
            "-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0");
    /** Below this memory or with one CPU HotSpot picks the Serial collector: train with the guest's. */
    static final long SERVER_CLASS_MIB = 1792;

    private final Path cacheDirectory;
    private final long trainingSeconds;
    private final Consumer<String> log;

    /**
     * @param cacheDirectory  where caches are kept between builds
     * @param trainingSeconds how long the application may run in training before it is stopped
     *                        (SIGTERM; a server does not end by itself)
     * @param log             progress and warnings
     */
    public AotTraining(Path cacheDirectory, long trainingSeconds, Consumer<String> log) {
        if (trainingSeconds < 1 || trainingSeconds > 3600) {
            throw new IllegalArgumentException("libos.aot.trainingSeconds must be 1-3600 (got " + trainingSeconds + ")");
        }
        this.cacheDirectory = cacheDirectory.resolve("aot");
        this.trainingSeconds = trainingSeconds;
        this.log = log;
    }

    /**
     * The cache for an image, trained now or found from an earlier build.
     *
     * @param runtimeSegment the image's runtime segment (its {@code jvm/} tree runs the training)
     * @param entries        the libos and application entries of the initramfs
     * @param commandLine    the guest's kernel command line; the words after {@code --} are the JVM's
     * @return the cache file, or empty when the training made none (the reason is logged)
     */
    public Optional<Path> cache(Path runtimeSegment, List<CpioEntry> entries, String commandLine, long memoryMiB, int cpus)
            throws IOException {
        List<String> jvmWords = jvmWords(commandLine);
        if (memoryMiB < SERVER_CLASS_MIB || cpus < 2) {
            jvmWords.addFirst("-XX:+UseSerialGC");
        }
        // The guest's default heap limit (a quarter of its memory): the archived heap objects are
        // laid out for it, so the guest maps them without moving them.
        long heapMiB = Math.max(16, memoryMiB / 4);
        jvmWords.addFirst("-Xmx" + heapMiB + "m");
        String key = key(runtimeSegment, entries, jvmWords);
        Path cached = cacheDirectory.resolve(key + ".aot");
        if (Files.isRegularFile(cached)) {
            log.accept("AOT cache from an earlier training " + cached);
            return Optional.of(cached);
        }
        Files.createDirectories(cacheDirectory);
        try (TrainingStage stage = TrainingStage.open(key, cacheDirectory, log)) {
            Path root = stage.root();
            CpioExtractor.extract(runtimeSegment, "jvm", root);
            for (CpioEntry entry : entries) {
                Path path = root.resolve(entry.path());
                if ((entry.mode() & 0170000) == CpioNewc.S_IFDIR) {
                    Files.createDirectories(path);
                } else if ((entry.mode() & 0170000) == CpioNewc.S_IFREG) {
                    Files.createDirectories(path.getParent());
                    try (OutputStream out = Files.newOutputStream(path)) {
                        entry.content().writeTo(out);
                    }
                }
            }
            try (Stream<Path> all = Files.walk(root)) {
                for (Path path : all.toList()) {
                    Files.setLastModifiedTime(path, FileTime.fromMillis(0)); // as in the initramfs
                }
            }
            List<String> words = relocated(jvmWords, root);

            Path classList = root.resolve("training.classlist");
            List<String> training = new ArrayList<>();
            training.add("-XX:DumpLoadedClassList=" + classList);
            // dev.libos.core.guest.GuestBoot.TRAINING_PROPERTY: Boot rehearses the guest's own
            // boot steps (FFM downcalls, timeline), which a hosted run would otherwise skip
            training.add("-D" + TRAINING_PROPERTY + "=true");
            training.addAll(words);
            int status = run(root, training, root.resolve("training.log"), trainingSeconds, "training run");
            if (!Files.isRegularFile(classList) || Files.size(classList) == 0) {
                log.accept("AOT training wrote no class list (exit status " + status + "); the image boots with CDS only."
                        + " Last lines of the training:\n" + tail(root.resolve("training.log")));
                return Optional.empty();
            }
            Path canonical = root.resolve("canonical.classlist");
            // Latin-1 both ways: the bytes of every name come back as they were
            List<String> lines = new ArrayList<>(CanonicalClassList.of(
                    Files.readAllLines(classList, java.nio.charset.StandardCharsets.ISO_8859_1)));
            List<Path> jars = new ArrayList<>();
            for (String jar : words.get(words.indexOf("-cp") + 1).split(":")) {
                jars.add(Path.of(jar));
            }
            try (LinkableEntries linkable = new LinkableEntries(root.resolve("jvm"), jars)) {
                int classes = (int) lines.stream().filter(l -> !l.startsWith("@")).count();
                lines.addAll(classes, linkable.lines(lines));
            }
            Files.write(canonical, lines, java.nio.charset.StandardCharsets.ISO_8859_1);

            Path output = root.resolve("libos.aot");
            Path map = root.resolve("libos.aot.map");
            List<String> dump = new ArrayList<>(List.of("-Xshare:dump", "-XX:SharedClassListFile=" + canonical,
                    "-XX:SharedArchiveFile=" + output, "-XX:+AOTClassLinking"));
            dump.addAll(DETERMINISTIC_DUMP);
            dump.add("-Xms" + heapMiB + "m");
            dump.add("-Xmn" + Math.max(8, heapMiB / 2) + "m");
            dump.add("-Xlog:aot+map=info,aot+map+oops=trace:file=" + map + ":none:filesize=0");
            dump.addAll(words);
            status = run(root, dump, root.resolve("dump.log"), 600, "archive dump");
            if (status != 0 || !Files.isRegularFile(output) || Files.size(output) == 0) {
                log.accept("AOT archive dump failed (exit status " + status + "); the image boots with CDS only."
                        + " Last lines of the dump:\n" + tail(root.resolve("dump.log")));
                return Optional.empty();
            }
            try {
                int zeroed = ArchiveClock.zero(output, map);
                log.accept("AOT cache: " + zeroed + " clock fields of the dumping JVM set to 0");
            } catch (IOException e) {
                log.accept("WARNING: the AOT cache keeps the dumping JVM's clock, so it is not byte-reproducible: " + e.getMessage());
            }
            List<String> verify = new ArrayList<>(List.of("-Xshare:on", "-XX:SharedArchiveFile=" + output, "-XX:+VerifySharedSpaces"));
            verify.addAll(DETERMINISTIC_DUMP);
            verify.addAll(words.subList(0, words.size() - 1)); // without the main class
            verify.add("-version");
            status = run(root, verify, root.resolve("verify.log"), 120, "archive check");
            if (status != 0) {
                log.accept("AOT cache does not map with its CRCs checked (exit status " + status + "); the image boots with CDS only."
                        + " Last lines:\n" + tail(root.resolve("verify.log")));
                return Optional.empty();
            }
            Path partial = cached.resolveSibling(cached.getFileName() + ".part");
            Files.copy(output, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.copy(canonical, cacheDirectory.resolve(key + ".classlist"), StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, cached, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            log.accept("AOT cache " + cached + " (" + Files.size(cached) / 1024 + " KiB, class list "
                    + cacheDirectory.resolve(key + ".classlist") + ")");
            return Optional.of(cached);
        }
    }

    /**
     * Runs the staged runtime's {@code java} with {@code arguments}, output to {@code logFile};
     * stopped with SIGTERM after {@code seconds} (servers do not end by themselves).
     *
     * @return its exit status
     */
    private int run(Path root, List<String> arguments, Path logFile, long seconds, String what) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(root.resolve("jvm/bin/java").toString());
        command.addAll(arguments);
        log.accept("AOT " + what + " (up to " + seconds + " s): " + String.join(" ", command));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile());
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().remove("_JAVA_OPTIONS");
        builder.environment().remove("JDK_JAVA_OPTIONS");
        builder.environment().put("LD_LIBRARY_PATH", root.resolve("jvm/lib") + ":" + root.resolve("jvm/lib/server"));
        builder.environment().put("LANG", "C.UTF-8");
        Process process = builder.start();
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                log.accept("AOT " + what + ": still running after " + seconds + " s, stopping it (SIGTERM)");
                process.destroy();
            }
            if (!process.waitFor(300, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor();
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted in the AOT " + what, e);
        }
    }

    /** Where the caches are kept (also the runtime segments without CDS, {@link RuntimeWithoutCds}). */
    public Path directory() {
        return cacheDirectory;
    }

    /** The JVM's words of a kernel command line: everything after {@code --}. */
    static List<String> jvmWords(String commandLine) {
        List<String> words = Arrays.asList(commandLine.split(" "));
        int separator = words.indexOf("--");
        if (separator < 0) {
            throw new IllegalArgumentException("kernel command line without '--': " + commandLine);
        }
        return new ArrayList<>(words.subList(separator + 1, words.size()));
    }

    /** The words with the class path's guest paths ({@code /app/...}) under {@code stage}. */
    static List<String> relocated(List<String> words, Path stage) {
        List<String> out = new ArrayList<>(words);
        int cp = out.indexOf("-cp");
        if (cp < 0 || cp + 1 >= out.size()) {
            throw new IllegalArgumentException("JVM words without a class path: " + words);
        }
        List<String> paths = new ArrayList<>();
        for (String path : out.get(cp + 1).split(":")) {
            paths.add(stage + path);
        }
        out.set(cp + 1, String.join(":", paths));
        return out;
    }

    private static String key(Path runtimeSegment, List<CpioEntry> entries, List<String> jvmWords) throws IOException {
        MessageDigest digest = Sha256.newDigest();
        digest.update(("aot " + CACHE_FORMAT + "\n" + Runtime.version() + "\n" + Sha256.of(runtimeSegment) + "\n"
                + String.join(" ", jvmWords) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        List<CpioEntry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing(CpioEntry::path));
        for (CpioEntry entry : sorted) {
            digest.update((entry.path() + " " + entry.mode() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            if (entry.content() != null) {
                try (OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), digest)) {
                    entry.content().writeTo(out);
                }
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String tail(Path log) throws IOException {
        if (!Files.isRegularFile(log)) {
            return "(no output)";
        }
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    }

}
