package dev.libos.maven;

import dev.libos.maven.image.FilesVolume;
import dev.libos.maven.image.ImageBuilder;
import dev.libos.maven.image.ImageState;
import dev.libos.maven.image.KernelImage;
import dev.libos.maven.image.Steps;
import dev.libos.maven.image.KernelLocator;
import dev.libos.maven.qemu.Forwards;
import dev.libos.maven.qemu.HostPorts;
import dev.libos.maven.qemu.QemuProcess;
import dev.libos.maven.qemu.GuestExit;
import dev.libos.maven.qemu.KvmProbe;
import dev.libos.maven.qemu.Machine;
import dev.libos.maven.qemu.ManifestReader;
import dev.libos.maven.qemu.NetworkBackend;
import dev.libos.maven.qemu.NicModel;
import dev.libos.maven.qemu.QemuCommand;
import dev.libos.maven.qemu.TcgJit;
import dev.libos.maven.qemu.QemuDrives;
import dev.libos.maven.qemu.StateVolume;
import dev.libos.maven.qemu.UefiBoot;
import dev.libos.maven.disk.NoCloudVolume;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Boots the image in {@code target/libos} with QEMU: KVM when a trial boot shows it usable, TCG
 * otherwise; the serial console on stdout; host ports forwarded from 127.0.0.1. The
 * application's exit status becomes the goal's result: 0 succeeds, anything else fails the
 * build with a message carrying the status. The status is also written to
 * {@code target/libos-exit-status}, and {@code -Dlibos.run.exitProcess=true} makes Maven itself
 * exit with it (for scripts).
 *
 * <p>Disks ({@link QemuDrives}): the image's files volume read-only, the state volume
 * ({@link StateVolume}, {@code ~/.local/share/libos/state/GROUP/ARTIFACT.img}, kept across runs
 * and {@code mvn clean}) when the guest has
 * libos-guest to mount it, and extra raw disks from {@code libos.disks}.
 */
@Mojo(name = "run", threadSafe = true)
public final class RunMojo extends AbstractMojo {
    /** The NoCloud volume's virtio-blk serial (the guest finds it by its FAT label, not by this). */
    static final String CIDATA_ID = "cidata";

    /** Where the image is. */
    @Parameter(property = "libos.output", defaultValue = "${project.build.directory}/libos")
    private File outputDirectory;

    /** Where the application's exit status is written. */
    @Parameter(defaultValue = "${project.build.directory}/libos-exit-status", readonly = true)
    private File exitStatusFile;

    /**
     * Boot this kernel instead of the image's copy (the image goal's setting of the same name
     * chose that one); checked to be a bootable x86-64 kernel first.
     */
    @Parameter(property = "libos.kernel")
    private File kernelOverride;

    /** The project whose pom.xml and src/main the image must not be older than ({@link ImageState}). */
    @Parameter(defaultValue = "${project.basedir}", readonly = true)
    private File projectDirectory;

    /** The QEMU binary. */
    @Parameter(property = "libos.qemu", defaultValue = QemuCommand.DEFAULT_BINARY)
    private String qemu;

    /** auto (KVM when usable), kvm or tcg. */
    @Parameter(property = "libos.accel", defaultValue = "auto")
    private String accelerator;

    /** Under TCG, the guest JVM compiles with C1 only (see {@code qemu.TcgJit}); false keeps its default tiers. */
    @Parameter(property = "libos.tcg.c1Only", defaultValue = "true")
    private boolean tcgC1Only;

    /** The QEMU machine: q35 (PCI) or microvm (virtio-mmio). */
    @Parameter(property = "libos.machine", defaultValue = "q35")
    private String machine;

    /** Host-to-guest port forwards: HOSTPORT:GUESTPORT,... */
    @Parameter(property = "libos.forwards")
    private String forwards;

    /**
     * Connect the guest's NIC to this existing TAP interface instead of QEMU's user networking
     * (no forwards then; the caller creates and addresses the interface, e.g. in a network
     * namespace, and can then reach the guest directly, ping included).
     */
    @Parameter(property = "libos.tap")
    private String tap;

    /** The guest's network card when it has one (forwards or a TAP): virtio (default) or vmxnet3. */
    @Parameter(property = "libos.nic", defaultValue = "virtio")
    private String nic;

    /** Stop the VM after this many seconds (0: never). */
    @Parameter(property = "libos.run.timeoutSeconds", defaultValue = "0")
    private int timeoutSeconds;

    /**
     * The writable state volume, mounted at /data by a guest with libos-guest: a raw file created
     * once and kept across runs; {@code none} for no state volume. By default outside the build
     * directory, so {@code mvn clean} does not throw the application's data away.
     */
    @Parameter(property = "libos.state", defaultValue = "${user.home}/.local/share/libos/state/${project.groupId}/${project.artifactId}.img")
    private String state;

    /** Size of a new state volume (64M, 2G). */
    @Parameter(property = "libos.state.size", defaultValue = "64M")
    private String stateSize;

    /** Replace the state volume by a blank one (its data is lost). */
    @Parameter(property = "libos.state.reset", defaultValue = "false")
    private boolean stateReset;

    /** Extra writable raw disks for the application: NAME=FILE,... (NAME is the virtio-blk serial). */
    @Parameter(property = "libos.disks")
    private String disks;

    /**
     * How the VM boots: {@code kernel} (QEMU loads the image's kernel and initramfs) or
     * {@code uefi} (OVMF boots the image's disk.raw, as a cloud would; {@link UefiBoot}).
     */
    @Parameter(property = "libos.boot", defaultValue = "kernel")
    private String boot;

    /** OVMF's code for {@code libos.boot=uefi}; its variable store is the OVMF_VARS file beside it. */
    @Parameter(property = "libos.ovmf", defaultValue = UefiBoot.DEFAULT_OVMF)
    private File ovmf;

    /**
     * The disk a {@code libos.boot=uefi} run boots: {@code raw} (the image's disk.raw) or
     * {@code qcow2} (the image's qcow2 from {@code libos.formats}, as a cloud would be given it).
     */
    @Parameter(property = "libos.runDisk", defaultValue = "raw")
    private String runDisk;

    /**
     * A directory with NoCloud files ({@code meta-data}, {@code user-data}, optionally
     * {@code network-config}) to attach as a {@code CIDATA} volume, which libos-guest reads at
     * boot ({@link NoCloudVolume}); both boot modes.
     */
    @Parameter(property = "libos.cidata")
    private File cidata;

    /** The build directory, where a UEFI run keeps its copy of the disk and of the variable store. */
    @Parameter(defaultValue = "${project.build.directory}", readonly = true)
    private File buildDirectory;

    /** Exit the Maven process with the application's status instead of failing the build. */
    @Parameter(property = "libos.run.exitProcess", defaultValue = "false")
    private boolean exitProcess;

    /** How libos's own console lines begin in the guest (the boot timeline is the first). */
    private static final String LIBOS_CONSOLE_PREFIX = "libos:";

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        Path image = outputDirectory.toPath();
        Path manifestFile = image.resolve(ImageBuilder.MANIFEST_FILE);
        refuseStaleImage(image);
        if (!Files.isRegularFile(manifestFile)) {
            throw new MojoExecutionException("libos run: no image at " + image + ": build it first with `package` (goal libos:image)");
        }
        Path kernel = kernel(image);
        Path qemuBinary = QemuCommand.find(qemu);
        if (qemuBinary == null) {
            throw new MojoExecutionException("libos run: " + qemu + " not found on the PATH: " + QemuCommand.INSTALL_HINT);
        }
        NetworkBackend network;
        NicModel nicModel;
        Machine board;
        boolean uefi = switch (boot) {
            case "kernel" -> false;
            case "uefi" -> true;
            default -> throw new MojoExecutionException("libos run: libos.boot must be kernel or uefi (got '" + boot + "')");
        };
        UefiBoot.RunDisk runDiskFormat;
        try {
            runDiskFormat = UefiBoot.RunDisk.parse(runDisk);
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException("libos run: " + e.getMessage(), e);
        }
        if (!uefi && runDiskFormat != UefiBoot.RunDisk.RAW) {
            throw new MojoExecutionException("libos run: libos.runDisk=" + runDisk + " needs libos.boot=uefi (a kernel boot has no disk to choose)");
        }
        try {
            network = NetworkBackend.of(tap, Forwards.parse(forwards));
            nicModel = NicModel.parse(nic);
            board = Machine.parse(machine);
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException("libos run: " + e.getMessage(), e);
        }
        requireFreeHostPorts(network);
        try {
            ManifestReader manifest = new ManifestReader(Files.readString(manifestFile));
            boolean kvm = useKvm(qemuBinary.toString(), kernel);
            String commandLine = manifest.string("commandLine");
            QemuCommand.Vm vm = QemuCommand.Vm.of(kvm, kernel, image.resolve(ImageBuilder.INITRAMFS_FILE),
                            board.kernelCommandLine(TcgJit.apply(commandLine, kvm, tcgC1Only), kvm, hostCpuinfo()),
                            manifest.string("memory"), manifest.integer("cpus"))
                    .withMachine(board)
                    .withNetwork(network, nicModel)
                    .withDrives(uefi ? List.of() : drives(image, commandLine));
            UefiBoot disk = null;
            if (uefi) {
                boolean keepState = QemuDrives.guestMountsVolumes(commandLine) && !"none".equals(state);
                disk = UefiBoot.prepare(image, buildDirectory.toPath(), runDiskFormat, keepState ? Path.of(state) : null, stateReset,
                        line -> getLog().info("libos run: " + line));
                vm = vm.withFirmware(UefiBoot.firmware(ovmf.toPath(), buildDirectory.toPath()))
                        .withDrives(concat(concat(disk.drives(), cidataDrives()), QemuDrives.parseDisks(disks)));
            }
            List<String> command = QemuCommand.build(qemuBinary.toString(), vm);
            getLog().info("libos run: " + (kvm ? "KVM" : "TCG (KVM not usable here)") + ", machine " + board.settingName()
                    + (uefi ? ", UEFI boot from the " + runDisk + " disk" : "") + describe(network, nicModel) + ": " + String.join(" ", command));
            OptionalInt status;
            try {
                status = boot(command);
            } finally {
                if (disk != null) {
                    disk.saveState();
                }
            }
            finish(status);
        } catch (IOException | IllegalArgumentException e) {
            throw new MojoExecutionException("libos run: " + e.getMessage(), e);
        }
    }

    private static List<QemuDrives.Drive> concat(List<QemuDrives.Drive> first, List<QemuDrives.Drive> second) {
        List<QemuDrives.Drive> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static String describe(NetworkBackend network, NicModel nic) {
        return switch (network) {
            case NetworkBackend.None none -> "";
            case NetworkBackend.User user -> ", forwards " + user.forwards().stream()
                    .map(f -> f.hostPort() + ":" + f.guestPort()).collect(Collectors.joining(",")) + " on " + nic.settingValue();
            case NetworkBackend.Tap t -> ", TAP " + t.interfaceName() + " on " + nic.settingValue();
        };
    }

    /** The host's /proc/cpuinfo, empty where there is none. */
    private static String hostCpuinfo() throws IOException {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        return Files.isReadable(cpuinfo) ? Files.readString(cpuinfo) : "";
    }

    /** Refuses an image a failed or later-outdated {@code package} left ({@link ImageState}). */
    private void refuseStaleImage(Path image) throws MojoExecutionException {
        try {
            java.util.Optional<String> stale = ImageState.staleReason(image, projectDirectory == null ? null : projectDirectory.toPath());
            if (stale.isPresent()) {
                throw new MojoExecutionException("libos run: " + stale.get());
            }
        } catch (IOException e) {
            throw new MojoExecutionException("libos run: " + e.getMessage(), e);
        }
    }

    /** The image's kernel, or {@code libos.kernel} when set; checked to be bootable ({@link KernelImage}). */
    private Path kernel(Path image) throws MojoExecutionException {
        Path kernel = kernelOverride != null ? kernelOverride.toPath() : image.resolve(ImageBuilder.KERNEL_FILE);
        if (!Files.isRegularFile(kernel)) {
            throw new MojoExecutionException(kernelOverride != null
                    ? "libos run: libos.kernel names no file (" + kernel + ")"
                    : "libos run: the image has no kernel (" + kernel + "): " + KernelLocator.INSTALL_HINT);
        }
        try {
            KernelImage.requireBootable(kernel);
        } catch (IOException | IllegalArgumentException e) {
            throw new MojoExecutionException("libos run: " + e.getMessage(), e);
        }
        if (kernelOverride != null) {
            getLog().info("libos run: kernel " + kernel + " (libos.kernel) instead of the image's");
        }
        return kernel;
    }

    /** QEMU's own message for a taken port does not say so ({@link HostPorts}). */
    private static void requireFreeHostPorts(NetworkBackend network) throws MojoExecutionException {
        if (network instanceof NetworkBackend.User user) {
            try {
                HostPorts.requireFree(user.forwards());
            } catch (IllegalArgumentException e) {
                throw new MojoExecutionException("libos run: " + e.getMessage(), e);
            }
        }
    }

    /** The NoCloud volume made from {@code libos.cidata}, when set. */
    private List<QemuDrives.Drive> cidataDrives() throws IOException {
        if (cidata == null) {
            return List.of();
        }
        Path volume = buildDirectory.toPath().resolve("libos-cidata.img");
        NoCloudVolume.write(cidata.toPath(), volume);
        getLog().info("libos run: NoCloud volume " + volume + " from " + cidata);
        return List.of(new QemuDrives.Drive(CIDATA_ID, volume, true));
    }

    /**
     * The disks: the image's files volume when it has one, the state volume when the guest
     * mounts volumes (libos-guest on its class path) and {@code state} is not {@code none}, then
     * the extra {@code disks}.
     */
    private List<QemuDrives.Drive> drives(Path image, String commandLine) throws IOException {
        List<QemuDrives.Drive> drives = new ArrayList<>();
        boolean guestMounts = QemuDrives.guestMountsVolumes(commandLine);
        Path files = image.resolve(FilesVolume.FILE);
        if (Files.isRegularFile(files)) {
            drives.add(new QemuDrives.Drive(QemuDrives.FILES_ID, files, true));
            if (!guestMounts) {
                getLog().warn("libos run: the image has a files volume but no libos-guest on its class path to mount it");
            }
        }
        if (guestMounts && !"none".equals(state)) {
            long bytes = StateVolume.parseSize("libos.state.size", stateSize);
            Path file = Path.of(state);
            StateVolume.Outcome outcome = StateVolume.prepare(file, bytes, stateReset, getLog()::warn);
            getLog().info("libos run: state volume " + file + " (" + outcome.name().toLowerCase(java.util.Locale.ROOT) + ")");
            drives.add(new QemuDrives.Drive(QemuDrives.STATE_ID, file, false));
        }
        drives.addAll(cidataDrives());
        drives.addAll(QemuDrives.parseDisks(disks));
        return drives;
    }

    private boolean useKvm(String qemuBinary, Path kernel) throws IOException, MojoExecutionException {
        return switch (accelerator) {
            case "tcg" -> false;
            case "kvm" -> true;
            case "auto" -> KvmProbe.usable(qemuBinary, kernel, 10_000);
            default -> throw new MojoExecutionException("libos run: accel must be auto, kvm or tcg (got '" + accelerator + "')");
        };
    }

    /** Runs QEMU with the console copied to stdout; the application's status. */
    private OptionalInt boot(List<String> command) throws IOException, MojoExecutionException {
        Steps steps = new Steps(getLog()::info, System::nanoTime);
        long bootStart = steps.start();
        // QemuProcess: a SIGTERM to Maven also ends QEMU (a shutdown hook), which would otherwise keep running.
        try (QemuProcess qemuProcess = QemuProcess.start(new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(ProcessBuilder.Redirect.INHERIT))) {
            return console(qemuProcess.process(), steps, bootStart);
        }
    }

    /** Copies the console to stdout until QEMU ends; the application's status. */
    private OptionalInt console(Process process, Steps steps, long bootStart) throws IOException, MojoExecutionException {
        GuestExit exit = new GuestExit();
        if (timeoutSeconds > 0) {
            Thread.ofPlatform().daemon().name("libos-run-timeout").start(() -> {
                try {
                    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                        getLog().error("libos run: stopping the VM after " + timeoutSeconds + " s");
                        process.destroy();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        boolean libosStarted = false;
        try (InputStream console = process.getInputStream()) {
            byte[] buffer = new byte[8192];
            for (int n; (n = console.read(buffer)) > 0; ) {
                System.out.write(buffer, 0, n);
                System.out.flush();
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        String text = line.toString(StandardCharsets.UTF_8);
                        if (!libosStarted && text.startsWith(LIBOS_CONSOLE_PREFIX)) {
                            libosStarted = true;
                            steps.finish("boot, until libos's first console line", bootStart);
                        }
                        exit.observe(text);
                        line.reset();
                    } else {
                        line.write(buffer[i]);
                    }
                }
            }
        }
        exit.observe(line.toString(StandardCharsets.UTF_8));
        try {
            int code = process.waitFor();
            OptionalInt status = exit.status(code);
            if (status.isEmpty()) {
                throw new MojoExecutionException("libos run: QEMU exited with " + code
                        + " and the guest reported no exit status (see the console output above)");
            }
            return status;
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new MojoExecutionException("libos run: interrupted");
        }
    }

    private void finish(OptionalInt result) throws IOException, MojoFailureException {
        int status = result.getAsInt();
        Files.writeString(exitStatusFile.toPath(), status + "\n");
        if (status == 0) {
            getLog().info("libos run: the application exited with status 0");
            return;
        }
        if (exitProcess) {
            getLog().error("libos run: the application exited with status " + status + "; exiting with it");
            System.out.flush();
            System.exit(status);
        }
        throw new MojoFailureException("libos run: the application exited with status " + status
                + " (also in " + exitStatusFile + ")");
    }
}
