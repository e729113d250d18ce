package dev.libos.maven.image;

import dev.libos.maven.aot.AotTraining;
import dev.libos.maven.aot.ClassesJar;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Builds the image under an output directory (normally {@code target/libos}):
 * <ul>
 *   <li>{@value #KERNEL_FILE}: the guest kernel;</li>
 *   <li>{@value #INITRAMFS_FILE}: three compressed cpio segments one after the other, the runtime
 *       ({@link RuntimeImage}), libos (jars of group {@value #LIBOS_GROUP} and the init stub,
 *       {@link InitStub}) and the application
 *       (its classes, its other dependencies, the extra files);</li>
 *   <li>{@value FilesVolume#FILE}, the files volume ({@link FilesVolume}), when a files directory is set;</li>
 *   <li>{@value #MANIFEST_FILE} ({@link ImageManifest}).</li>
 * </ul>
 * Nothing depends on the time, the host's user or the order of a directory listing, so equal
 * inputs give byte-identical files.
 */
public final class ImageBuilder {
    /** Kernel file name in the output directory. */
    public static final String KERNEL_FILE = "vmlinuz";
    /** Initramfs file name in the output directory. */
    public static final String INITRAMFS_FILE = "initramfs.cpio.gz";
    /** Manifest file name in the output directory. */
    public static final String MANIFEST_FILE = "manifest.json";
    /** Dependencies of this group go in the libos segment. */
    public static final String LIBOS_GROUP = "dev.libos";

    private static final long LIBOS_FIRST_INODE = 1_000_000;
    private static final long APPLICATION_FIRST_INODE = 2_000_000;

    /** Reports the writing steps that take a second or more ({@link #timed}). */
    private Steps steps = Steps.silent();

    /**
     * A runtime dependency of the application.
     *
     * @param groupId    Maven group
     * @param artifactId Maven artifact
     * @param file       its jar
     */
    public record Dependency(String groupId, String artifactId, Path file) {
    }

    private final RuntimeProvider runtime;
    private final Consumer<String> progress;
    private final List<CpioEntry> libosExtras = new ArrayList<>();
    private final AotTraining aot;
    /** The application's classes in the guest when an AOT cache is made ({@link ClassesJar}). */
    public static final String CLASSES_JAR = "app/classes.jar";

    /**
     * @param runtime  builds (or finds in its cache) the runtime segment
     * @param progress receives one line per step
     */
    public ImageBuilder(RuntimeProvider runtime, Consumer<String> progress) {
        this(runtime, progress, null);
    }

    /**
     * @param aot makes the AOT cache the guest boots with ({@link AotTraining}); null for none (CDS only).
     *            With it, the application's classes go in the image as one jar, {@value #CLASSES_JAR}:
     *            an AOT cache takes classes from jars only.
     */
    public ImageBuilder(RuntimeProvider runtime, Consumer<String> progress, AotTraining aot) {
        this.runtime = runtime;
        this.progress = progress;
        this.aot = aot;
    }

    /** Adds entries to the libos segment (e.g. {@link LinuxNetworkImage#entries()}). */
    public ImageBuilder addToLibosSegment(List<CpioEntry> entries) {
        libosExtras.addAll(entries);
        return this;
    }

    /**
     * Builds the image.
     *
     * @param settings           validated settings
     * @param kernel             the kernel to copy
     * @param classesDirectory   the application's compiled classes and resources
     * @param dependencies       its runtime dependencies, in class path order
     * @param outputDirectory    where the image goes; its previous content is removed
     * @return the manifest written
     */
    public ImageManifest build(ImageSettings settings, Path kernel, Path classesDirectory, List<Dependency> dependencies,
                               Path outputDirectory) throws IOException {
        List<CpioEntry> libos = new ArrayList<>();
        List<CpioEntry> application = new ArrayList<>();
        List<String> classPath = new ArrayList<>();
        Set<String> guestPaths = new LinkedHashSet<>();
        List<Path> analysed = new ArrayList<>();
        if (Files.isDirectory(classesDirectory) && aot != null) {
            application.add(CpioEntry.file(CLASSES_JAR, CpioEntry.Content.of(ClassesJar.of(classesDirectory)), false));
            classPath.add("/" + CLASSES_JAR);
            analysed.add(classesDirectory);
        } else if (Files.isDirectory(classesDirectory)) {
            application.addAll(SegmentWriter.tree(classesDirectory, "app/classes"));
            classPath.add("/app/classes");
            analysed.add(classesDirectory);
        }
        for (Dependency dependency : dependencies) {
            boolean isLibos = dependency.groupId().equals(LIBOS_GROUP);
            String guest = (isLibos ? "libos/" : "app/lib/") + dependency.file().getFileName();
            if (!guestPaths.add(guest)) {
                throw new IllegalArgumentException("two dependencies share the file name " + guest
                        + " (" + dependency.groupId() + ":" + dependency.artifactId() + ")");
            }
            (isLibos ? libos : application).add(CpioEntry.file(guest, CpioEntry.Content.ofFile(dependency.file()), false));
            classPath.add("/" + guest);
            analysed.add(dependency.file());
        }
        libos.add(CpioEntry.directory("libos"));
        libos.add(CpioEntry.file(KernelCommandLine.INIT.substring(1), CpioEntry.Content.of(InitStub.guest()), true));
        libos.addAll(libosExtras);
        application.add(CpioEntry.directory("app"));
        if (dependencies.stream().anyMatch(d -> !d.groupId().equals(LIBOS_GROUP))) {
            application.add(CpioEntry.directory("app/lib"));
        }
        if (!settings.extraFiles().isEmpty()) {
            application.add(CpioEntry.directory("app/files"));
            for (Path extra : settings.extraFiles()) {
                application.addAll(SegmentWriter.tree(extra, "app/files/" + extra.getFileName()));
            }
        }

        progress.accept("modules (jdeps)");
        Set<String> modules = runtime.modules(analysed);
        RuntimeImage.Segment runtimeSegment = runtime.segment(modules, progress);
        String commandLine = KernelCommandLine.build(classPath, settings.mainClass(), settings.cpus(), settings.jvmOptions());
        RuntimeImage.Segment bootRuntime = runtimeSegment;
        if (aot != null) {
            List<CpioEntry> guestEntries = new ArrayList<>(libos);
            guestEntries.addAll(application);
            java.util.Optional<Path> cache = aot.cache(runtimeSegment.file(), guestEntries, commandLine, settings.memoryMiB(),
                    settings.cpus());
            if (cache.isPresent()) {
                application.add(CpioEntry.file(AotTraining.GUEST_FILE, CpioEntry.Content.ofFile(cache.get()), false));
                List<String> options = new ArrayList<>(settings.jvmOptions());
                options.addAll(AotTraining.JVM_OPTIONS);
                commandLine = KernelCommandLine.build(classPath, settings.mainClass(), settings.cpus(), options);
                bootRuntime = dev.libos.maven.aot.RuntimeWithoutCds.of(runtimeSegment, aot.directory());
            }
        }

        clean(outputDirectory);
        progress.accept("initramfs");
        byte[] libosSegment = SegmentWriter.toBytes(libos, LIBOS_FIRST_INODE);
        byte[] applicationSegment = SegmentWriter.toBytes(application, APPLICATION_FIRST_INODE);
        List<ImageManifest.Segment> segments = new ArrayList<>();
        Path initramfs = outputDirectory.resolve(INITRAMFS_FILE);
        MessageDigest whole = Sha256.newDigest();
        RuntimeImage.Segment guestRuntime = bootRuntime;
        steps.run("writing " + INITRAMFS_FILE, () -> {
            try (OutputStream out = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(initramfs), 1 << 16), whole)) {
                long offset = 0;
                offset = append(out, "runtime", Files.readAllBytes(guestRuntime.file()), guestRuntime.unpackedBytes(), offset, segments);
                offset = append(out, "libos", libosSegment, unpackedSize(libosSegment), offset, segments);
                append(out, "application", applicationSegment, unpackedSize(applicationSegment), offset, segments);
            }
            return null;
        });
        ImageManifest.Part initramfsPart = new ImageManifest.Part(INITRAMFS_FILE, Files.size(initramfs),
                HexFormat.of().formatHex(whole.digest()));

        progress.accept("kernel " + kernel);
        Path kernelCopy = outputDirectory.resolve(KERNEL_FILE);
        Files.copy(kernel, kernelCopy, StandardCopyOption.REPLACE_EXISTING);
        ImageManifest.Part kernelPart = part(outputDirectory, KERNEL_FILE);

        List<ImageManifest.Part> volumes = new ArrayList<>();
        if (settings.files() != null) {
            progress.accept("files volume " + FilesVolume.FILE + " from " + settings.files());
            steps.run("writing the files volume " + FilesVolume.FILE, () -> {
                FilesVolume.write(settings.files(), outputDirectory.resolve(FilesVolume.FILE));
                return null;
            });
            volumes.add(part(outputDirectory, FilesVolume.FILE));
        }

        ImageManifest manifest = new ImageManifest(kernelPart, initramfsPart, segments, volumes, commandLine,
                settings.memory(), settings.cpus(), settings.mainClass(), List.copyOf(modules));
        Files.writeString(outputDirectory.resolve(MANIFEST_FILE), manifest.toJson());
        return manifest;
    }

    private static long append(OutputStream out, String name, byte[] segment, long unpacked, long offset,
                               List<ImageManifest.Segment> segments) throws IOException {
        out.write(segment);
        segments.add(new ImageManifest.Segment(name, offset, segment.length,
                HexFormat.of().formatHex(Sha256.newDigest().digest(segment)), unpacked));
        return offset + segment.length;
    }

    /** Size of a segment's cpio archive once decompressed (gzip's ISIZE field is mod 2^32). */
    static long unpackedSize(byte[] segment) throws IOException {
        try (InputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(segment), 1 << 16)) {
            return in.transferTo(OutputStream.nullOutputStream());
        }
    }

    private static ImageManifest.Part part(Path directory, String name) throws IOException {
        Path file = directory.resolve(name);
        return new ImageManifest.Part(name, Files.size(file), Sha256.of(file));
    }

    private static void clean(Path directory) throws IOException {
        Files.createDirectories(directory);
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(file)) {
                    Files.delete(file);
                }
            }
        }
    }

    /**
     * A builder that also reports its writing steps of a second or more to {@code steps}.
     *
     * @param runtime  builds (or finds in its cache) the runtime segment
     * @param steps    times the steps ({@link Steps})
     * @param progress receives one line per step
     * @param aot      makes the AOT cache, or null ({@link #ImageBuilder(RuntimeProvider, Consumer, AotTraining)})
     */
    public static ImageBuilder timed(RuntimeProvider runtime, Steps steps, Consumer<String> progress, AotTraining aot) {
        ImageBuilder builder = new ImageBuilder(runtime, progress, aot);
        builder.steps = steps;
        return builder;
    }
}
