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
 * Makes the ahead-of-time cache the guest's JVM boots with (JDK 25: JEP 483 loaded and linked
 * classes, JEP 514 one-step {@code -XX:AOTCacheOutput}, JEP 515 method profiles) from a training
 * run of the application on the host, with the image's own jlinked runtime and the guest's class
 * path and JVM options. The class path is the guest's relocated under a staging directory: the
 * JVM accepts a cache whose jars moved together under another common prefix, as long as each has
 * the size and mtime it had in training, so every staged file gets mtime 0 like the initramfs's.
 *
 * <p>A training run is not reproducible (profiles and class order vary between runs, and so do
 * the cache's bytes), so the cache is kept under the cache directory keyed by every input: a
 * rebuild with the same inputs reuses it and gives the same image; a build with an empty cache
 * directory trains again and differs in this one file.
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
    /** Bumped when the way a cache is made changes. */
    static final int CACHE_FORMAT = 1;
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
        // The guest's default heap limit (a quarter of its memory): the cache's archived heap
        // objects are laid out for it, so the guest maps them without moving them.
        jvmWords.addFirst("-Xmx" + Math.max(16, memoryMiB / 4) + "m");
        Path cached = cacheDirectory.resolve(key(runtimeSegment, entries, jvmWords) + ".aot");
        if (Files.isRegularFile(cached)) {
            log.accept("AOT cache from an earlier training " + cached);
            return Optional.of(cached);
        }
        Files.createDirectories(cacheDirectory);
        Path stage = Files.createTempDirectory(cacheDirectory, "train-");
        try {
            CpioExtractor.extract(runtimeSegment, "jvm", stage);
            for (CpioEntry entry : entries) {
                Path path = stage.resolve(entry.path());
                if ((entry.mode() & 0170000) == CpioNewc.S_IFDIR) {
                    Files.createDirectories(path);
                } else if ((entry.mode() & 0170000) == CpioNewc.S_IFREG) {
                    Files.createDirectories(path.getParent());
                    try (OutputStream out = Files.newOutputStream(path)) {
                        entry.content().writeTo(out);
                    }
                }
            }
            try (Stream<Path> all = Files.walk(stage)) {
                for (Path path : all.toList()) {
                    Files.setLastModifiedTime(path, FileTime.fromMillis(0)); // as in the initramfs
                }
            }
            Path output = stage.resolve("libos.aot");
            List<String> command = new ArrayList<>();
            command.add(stage.resolve("jvm/bin/java").toString());
            command.add("-XX:AOTCacheOutput=" + output);
            command.addAll(relocated(jvmWords, stage));
            log.accept("AOT training run (up to " + trainingSeconds + " s): " + String.join(" ", command));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(stage.resolve("training.log").toFile());
            builder.environment().remove("JAVA_TOOL_OPTIONS"); // the one-step workflow passes options to its child through it
            builder.environment().put("LD_LIBRARY_PATH", stage.resolve("jvm/lib") + ":" + stage.resolve("jvm/lib/server"));
            builder.environment().put("LANG", "C.UTF-8");
            Process process = builder.start();
            try {
                if (!process.waitFor(trainingSeconds, TimeUnit.SECONDS)) {
                    log.accept("AOT training: the application still runs after " + trainingSeconds + " s, stopping it (SIGTERM)");
                    process.destroy();
                }
                if (!process.waitFor(300, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted in the AOT training run", e);
            }
            if (!Files.isRegularFile(output) || Files.size(output) == 0) {
                log.accept("AOT training made no cache (exit status " + process.exitValue() + "); the image boots with CDS only."
                        + " Last lines of the training:\n" + tail(stage.resolve("training.log")));
                return Optional.empty();
            }
            Path partial = cached.resolveSibling(cached.getFileName() + ".part");
            Files.copy(output, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, cached, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            log.accept("AOT cache " + cached + " (" + Files.size(cached) / 1024 + " KiB)");
            return Optional.of(cached);
        } finally {
            deleteTree(stage);
        }
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

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
