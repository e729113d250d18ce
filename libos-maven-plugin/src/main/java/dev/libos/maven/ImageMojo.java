package dev.libos.maven;

import dev.libos.maven.aot.AotTraining;
import dev.libos.maven.disk.BootDisk;
import dev.libos.maven.disk.UnifiedKernelImage;
import dev.libos.maven.image.FilesVolume;
import dev.libos.maven.format.DiskFormat;
import dev.libos.maven.format.DiskFormats;
import dev.libos.maven.format.FirecrackerConfig;
import dev.libos.maven.image.ImageBuilder;
import dev.libos.maven.image.ImageManifest;
import dev.libos.maven.image.ImageSettings;
import dev.libos.maven.image.ImageState;
import dev.libos.maven.image.KernelImage;
import dev.libos.maven.image.MainClassCheck;
import dev.libos.maven.image.Steps;
import dev.libos.maven.image.NetworkOptions;
import dev.libos.maven.image.KernelLocator;
import dev.libos.maven.image.CpioEntry;
import dev.libos.maven.image.InterruptModulesImage;
import dev.libos.maven.image.LinuxNetworkImage;
import dev.libos.maven.image.RuntimeImage;
import dev.libos.maven.qemu.StateVolume;
import java.nio.file.Files;
import java.util.stream.Collectors;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProject;

/**
 * Builds a bootable image of the application under {@code target/libos}: the kernel, an
 * initramfs in which the kernel starts the JVM as PID 1 (a jlinked runtime, libos, the
 * application), the files volume (the tree of {@value #DEFAULT_FILES_DIRECTORY} or {@code files})
 * and {@code manifest.json}. See {@link ImageBuilder}.
 */
@Mojo(name = "image", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true,
        requiresDependencyResolution = ResolutionScope.RUNTIME)
public final class ImageMojo extends AbstractMojo {
    /** Where the files volume's tree is by default, relative to the project's base directory. */
    public static final String DEFAULT_FILES_DIRECTORY = "src/main/libos-files";

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    /** The application's main class, run on a libos thread by dev.libos.core.Boot. */
    @Parameter(property = "libos.mainClass", required = true)
    private String mainClass;

    /** The guest kernel; default: the newest /boot/vmlinuz-*-cloud-amd64. */
    @Parameter(property = "libos.kernel")
    private File kernel;

    /** Guest memory, QEMU notation (512M, 2G). */
    @Parameter(property = "libos.memory", defaultValue = "512M")
    private String memory;

    /** Guest virtual CPUs. */
    @Parameter(property = "libos.cpus", defaultValue = "2")
    private int cpus;

    /** Files or directories copied into the guest under /app/files. */
    @Parameter
    private List<File> extraFiles;

    /** Extra JVM options (one token each). */
    @Parameter
    private List<String> jvmOptions;

    /**
     * The directory whose tree becomes the files volume (mounted read-only at /files in the
     * guest). Default: {@value #DEFAULT_FILES_DIRECTORY} when that directory exists (no volume
     * otherwise); a directory set here must exist.
     */
    @Parameter(property = "libos.files")
    private File files;

    /** The guest's fixed address with prefix ({@code 10.0.2.15/24}); DHCP when unset. Checked at boot. */
    @Parameter(property = "libos.net.address")
    private String netAddress;

    /** The guest's default router with a fixed address ({@code 10.0.2.2}). */
    @Parameter(property = "libos.net.gateway")
    private String netGateway;

    /** The guest's name servers, comma-separated; they replace DHCP's. */
    @Parameter(property = "libos.net.dns")
    private String netDns;

    /** The guest NIC's MTU, when below the device's. */
    @Parameter(property = "libos.net.mtu")
    private String netMtu;

    /**
     * Whose network the guest runs on: {@code libos} (libos's drivers and TCP/IP, the default) or
     * {@code linux} (the kernel's virtio-net driver and TCP/IP under the JDK's own sockets; the
     * image then carries the kernel's virtio-net modules). See {@link LinuxNetworkImage}.
     */
    @Parameter(property = "libos.network", defaultValue = "libos")
    private String network;

    /** Cache of jdeps results and runtime segments, shared between builds. */
    @Parameter(property = "libos.cache", defaultValue = "${user.home}/.cache/libos")
    private File cacheDirectory;

    /** Where the image goes. */
    @Parameter(property = "libos.output", defaultValue = "${project.build.directory}/libos")
    private File outputDirectory;

    /**
     * Also write the self-contained boot disk {@code disk.raw} (GPT, EFI system partition with a
     * unified kernel image, files and state partitions; {@link BootDisk}).
     */
    @Parameter(property = "libos.disk", defaultValue = "true")
    private boolean disk;

    /** The boot disk's size (64M, 1G), at least its content. */
    @Parameter(property = "libos.diskSize", defaultValue = "1G")
    private String diskSize;

    /** Size of the boot disk's state partition. */
    @Parameter(property = "libos.state.size", defaultValue = "64M")
    private String stateSize;

    /** systemd-stub, the EFI stub of the boot disk's unified kernel image (Debian: systemd-boot-efi). */
    @Parameter(property = "libos.efiStub", defaultValue = UnifiedKernelImage.DEFAULT_STUB)
    private File efiStub;

    /** objcopy (binutils), which assembles the unified kernel image. */
    @Parameter(property = "libos.objcopy", defaultValue = UnifiedKernelImage.DEFAULT_OBJCOPY)
    private String objcopy;

    /**
     * The formats written from the boot disk besides {@code disk.raw}, comma-separated:
     * raw, qcow2, vmdk, ova, vdi, vhd, gce, ami, containerdisk, firecracker, or none
     * ({@link DiskFormat}; the README's table says where each boots).
     */
    @Parameter(property = DiskFormat.SETTING, defaultValue = "qcow2")
    private String formats;

    /** The image reference the containerDisk records and its VirtualMachine manifest pulls. */
    @Parameter(property = "libos.containerDisk.image", defaultValue = "${project.artifactId}:${project.version}")
    private String containerDiskImage;

    /**
     * Boot with an ahead-of-time cache (JDK 25, JEP 483/514/515) made by a training run of the
     * application with the image's runtime ({@code dev.libos.maven.aot.AotTraining}); false: the
     * runtime's CDS archive only.
     */
    @Parameter(property = "libos.aot", defaultValue = "true")
    private boolean aot;

    /** How long the AOT training run may take before the application is stopped (servers do not end). */
    @Parameter(property = "libos.aot.trainingSeconds", defaultValue = "30")
    private long aotTrainingSeconds;

    /** Skips the goal. */
    @Parameter(property = "libos.image.skip", defaultValue = "false")
    private boolean skip;

    @Override
    public void execute() throws MojoExecutionException {
        if (skip) {
            getLog().info("libos image: skipped");
            return;
        }
        // The old image stops being bootable now; a failure leaves its reason for `run` (ImageState).
        try {
            ImageState.building(outputDirectory.toPath());
            writeImage();
        } catch (IOException e) {
            throw new MojoExecutionException("libos image: " + e.getMessage(), e);
        } catch (MojoExecutionException e) {
            ImageState.failed(outputDirectory.toPath(), e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
            throw e;
        }
    }

    private void writeImage() throws MojoExecutionException {
        long startNanos = System.nanoTime();
        ImageSettings settings;
        Path kernelFile;
        LinuxNetworkImage linuxNetwork;
        try {
            LinuxNetworkImage.wantsLinux(network); // an unknown value fails the build even where no kernel is installed
            settings = new ImageSettings(mainClass, kernel == null ? null : kernel.toPath(), memory, cpus,
                    extraFiles == null ? List.of() : extraFiles.stream().map(File::toPath).toList(),
                    withNetworkSettings(jvmOptions), filesDirectory()).validate();
            if (settings.kernel() != null) {
                kernelFile = settings.kernel();
            } else {
                kernelFile = KernelLocator.findCloudKernel(KernelLocator.DEFAULT_DIRECTORY).orElse(null);
                if (kernelFile == null) {
                    // No kernel configured and none installed: the hosted build (java -jar) must still
                    // work on such a machine, so the image is skipped loudly rather than failing the
                    // build. A kernel that was configured but is missing does fail (in ImageSettings).
                    getLog().warn("libos image: skipped, no kernel found (looked for " + KernelLocator.DEFAULT_DIRECTORY
                            + "/vmlinuz-*-cloud-amd64; set libos.kernel to use another): " + KernelLocator.INSTALL_HINT);
                    return;
                }
            }
            linuxNetwork = LinuxNetworkImage.of(network, kernelFile, LinuxNetworkImage.MODULES_ROOT);
            if (linuxNetwork != null) {
                List<String> options = new ArrayList<>(settings.jvmOptions());
                options.add(linuxNetwork.jvmOption());
                settings = new ImageSettings(settings.mainClass(), settings.kernel(), settings.memory(), settings.cpus(),
                        settings.extraFiles(), options, settings.files()).validate();
            }
        } catch (IllegalArgumentException | IOException e) {
            throw new MojoExecutionException("libos image: " + e.getMessage(), e);
        }
        Set<DiskFormat> diskFormats;
        try {
            diskFormats = DiskFormat.parseList(formats);
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException("libos image: " + e.getMessage(), e);
        }
        boolean writeBootDisk = disk;
        if (disk && efiStub.getPath().equals(UnifiedKernelImage.DEFAULT_STUB) && !efiStub.isFile()) {
            // As with a missing kernel: the image for `-kernel` and the hosted jar must still build on a
            // machine without the stub, so the disk (and what is made from it) is skipped loudly. A stub
            // that was configured but is missing still fails (BootDisk.check).
            getLog().warn("libos image: no boot disk" + (diskFormats.isEmpty() ? "" : " and no " + diskFormats)
                    + ": systemd-stub not found at " + efiStub + " (Debian's systemd-boot-efi: apt-get install systemd-boot-efi);"
                    + " set libos.efiStub to another, or -Dlibos.disk=false to build without a disk");
            writeBootDisk = false;
            diskFormats = java.util.EnumSet.noneOf(DiskFormat.class);
        }
        if (!disk && diskFormats.stream().anyMatch(f -> f != DiskFormat.FIRECRACKER)) {
            throw new MojoExecutionException("libos image: " + DiskFormat.SETTING + " " + diskFormats
                    + " are made from the boot disk, which libos.disk=false turns off");
        }
        BootDisk.Settings diskSettings = null;
        if (writeBootDisk) {
            try {
                diskSettings = new BootDisk.Settings(StateVolume.parseSize("libos.diskSize", diskSize),
                        StateVolume.parseSize("libos.state.size", stateSize), efiStub.toPath(), objcopy);
                BootDisk.check(diskSettings);
            } catch (IllegalArgumentException e) {
                throw new MojoExecutionException("libos image: " + e.getMessage(), e);
            }
        }
        List<ImageBuilder.Dependency> dependencies = new ArrayList<>();
        for (Artifact artifact : project.getArtifacts()) {
            if (artifact.getArtifactHandler().isAddedToClasspath() && artifact.getFile() != null
                    && (Artifact.SCOPE_COMPILE.equals(artifact.getScope()) || Artifact.SCOPE_RUNTIME.equals(artifact.getScope()))) {
                dependencies.add(new ImageBuilder.Dependency(artifact.getGroupId(), artifact.getArtifactId(), artifact.getFile().toPath()));
            }
        }
        try {
            KernelImage.requireBootable(kernelFile);
            List<Path> classPath = new ArrayList<>(List.of(Path.of(project.getBuild().getOutputDirectory())));
            dependencies.forEach(d -> classPath.add(d.file()));
            MainClassCheck.require("libos.mainClass", settings.mainClass(), classPath);
        } catch (IllegalArgumentException | IOException e) {
            throw new MojoExecutionException("libos image: " + e.getMessage(), e);
        }
        Steps steps = new Steps(getLog()::info, System::nanoTime);
        RuntimeImage runtime = new RuntimeImage(cacheDirectory.toPath(), Path.of(System.getProperty("java.home")), steps);
        java.util.function.Consumer<String> progress = step ->
                getLog().info(String.format("libos image: %s (%d ms)", step, (System.nanoTime() - startNanos) / 1_000_000));
        AotTraining training;
        try {
            training = aot ? new AotTraining(cacheDirectory.toPath(), aotTrainingSeconds, progress) : null;
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException("libos image: " + e.getMessage(), e);
        }
        ImageBuilder builder = ImageBuilder.timed(runtime, steps, progress, training);
        ImageManifest manifest;
        try {
            if (linuxNetwork != null) {
                builder.addToLibosSegment(linuxNetwork.entries());
                getLog().info("libos image: network linux (the kernel's virtio-net modules, the JDK's own sockets)");
            } else {
                StringBuilder why = new StringBuilder();
                List<CpioEntry> interruptModules = InterruptModulesImage.entries(kernelFile, LinuxNetworkImage.MODULES_ROOT, why);
                if (interruptModules.isEmpty()) {
                    getLog().warn("libos image: no uio_pci_generic for the network card's interrupts (an idle CPU polls the card): " + why);
                } else {
                    builder.addToLibosSegment(interruptModules);
                }
            }
            manifest = builder.build(settings, kernelFile, Path.of(project.getBuild().getOutputDirectory()), dependencies,
                    outputDirectory.toPath());
        } catch (IOException | IllegalArgumentException e) {
            throw new MojoExecutionException("libos image: " + e.getMessage(), e);
        }
        if (diskSettings != null) {
            writeDisk(diskSettings, manifest, startNanos);
        }
        writeFormats(diskFormats, manifest, settings, startNanos);
        long millis = (System.nanoTime() - startNanos) / 1_000_000;
        long total = manifest.kernel().size() + manifest.initramfs().size();
        StringBuilder split = new StringBuilder("kernel " + mib(manifest.kernel().size()));
        for (ImageManifest.Segment segment : manifest.segments()) {
            split.append(", ").append(segment.name()).append(' ').append(mib(segment.size()));
        }
        for (ImageManifest.Part volume : manifest.volumes()) {
            split.append("; volume ").append(volume.file()).append(' ').append(mib(volume.size()));
        }
        getLog().info(String.format("libos image: %s written in %d ms: %s (%s boot total)", outputDirectory, millis, split, mib(total)));
    }

    private void writeDisk(BootDisk.Settings settings, ImageManifest manifest, long startNanos) throws MojoExecutionException {
        Path image = outputDirectory.toPath();
        Path files = image.resolve(FilesVolume.FILE);
        try {
            BootDisk.Layout layout = BootDisk.write(settings, image.resolve(ImageBuilder.KERNEL_FILE),
                    image.resolve(ImageBuilder.INITRAMFS_FILE), manifest.commandLine(), Files.isRegularFile(files) ? files : null,
                    image.resolve(BootDisk.FILE));
            getLog().info(String.format("libos image: boot disk %s (%d ms): %s", BootDisk.FILE, (System.nanoTime() - startNanos) / 1_000_000,
                    layout.partitions().stream().map(p -> p.name() + " " + mib(p.sizeBytes())).collect(Collectors.joining(", "))
                            + " of " + mib(layout.diskBytes())));
        } catch (IOException | IllegalArgumentException e) {
            throw new MojoExecutionException("libos image: boot disk: " + e.getMessage(), e);
        }
    }

    /** Writes the {@link DiskFormat}s chosen from disk.raw, next to it. */
    private void writeFormats(Set<DiskFormat> chosen, ImageManifest manifest, ImageSettings settings, long startNanos)
            throws MojoExecutionException {
        if (chosen.isEmpty()) {
            return;
        }
        Path image = outputDirectory.toPath();
        List<FirecrackerConfig.Drive> drives = manifest.volumes().stream()
                .map(v -> new FirecrackerConfig.Drive(v.file().replaceFirst("\\.img$", ""), v.file(), true)).toList();
        try {
            DiskFormats.Target target = new DiskFormats.Target(project.getArtifactId(), containerDiskImage, settings.cpus(),
                    settings.memoryMiB(), ImageBuilder.KERNEL_FILE, ImageBuilder.INITRAMFS_FILE, manifest.commandLine(), drives);
            List<Path> written = DiskFormats.write(image.resolve(BootDisk.FILE), chosen, target, image);
            getLog().info(String.format("libos image: formats %s (%d ms): %s", DiskFormat.SETTING,
                    (System.nanoTime() - startNanos) / 1_000_000, written.stream()
                            .map(f -> f.getFileName() + " " + mib(f.toFile().length())).collect(Collectors.joining(", "))));
        } catch (IOException | IllegalArgumentException e) {
            throw new MojoExecutionException("libos image: " + DiskFormat.SETTING + ": " + e.getMessage(), e);
        }
    }

    /** The JVM options with the {@code libos.net.*} settings that are set, as {@code -D} words ({@link NetworkOptions}). */
    private List<String> withNetworkSettings(List<String> options) {
        List<String> all = new ArrayList<>(options == null ? List.of() : options);
        all.addAll(NetworkOptions.jvmOptions(netAddress, netGateway, netDns, netMtu));
        return all;
    }

    /** The files directory set, else the default one when it exists, else null (no files volume). */
    private java.nio.file.Path filesDirectory() {
        if (files != null) {
            return files.toPath();
        }
        Path fallback = project.getBasedir().toPath().resolve(DEFAULT_FILES_DIRECTORY);
        return java.nio.file.Files.isDirectory(fallback) ? fallback : null;
    }

    private static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
