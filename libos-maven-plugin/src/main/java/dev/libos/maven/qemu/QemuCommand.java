package dev.libos.maven.qemu;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The QEMU command line that boots an image. */
public final class QemuCommand {
    /** The QEMU binary looked up on the PATH by default. */
    public static final String DEFAULT_BINARY = "qemu-system-x86_64";
    /** How to install QEMU, for error messages and the README. */
    public static final String INSTALL_HINT = "install QEMU with `sudo apt-get install qemu-system-x86` (Debian/Ubuntu)";
    /** The isa-debug-exit device the guest writes its status to (port 0xf4, 32-bit writes). */
    public static final String DEBUG_EXIT_DEVICE = "isa-debug-exit,iobase=0xf4,iosize=0x04";
    /** The user-networking backend's id. */
    static final String NETDEV_ID = "net0";
    /**
     * The NIC: a modern-only virtio-net (1af4:1041, what libos's driver claims; the transitional
     * 1af4:1000 would carry legacy I/O ports libos does not drive).
     */
    public static final String NIC_DEVICE = "virtio-net-pci,netdev=" + NETDEV_ID + ",disable-legacy=on";

    private QemuCommand() {
    }

    /**
     * @param qemu        QEMU binary
     * @param kvm         true for KVM (host CPU), false for TCG (emulated CPU "max")
     * @param kernel      kernel file
     * @param initramfs   initramfs file
     * @param commandLine kernel command line
     * @param memory      memory, QEMU notation
     * @param cpus        virtual CPUs
     * @param forwards    host ports forwarded into the guest
     */
    public static List<String> build(String qemu, boolean kvm, Path kernel, Path initramfs, String commandLine,
                                     String memory, int cpus, List<Forwards.Forward> forwards) {
        return build(Machine.Q35, qemu, kvm, kernel, initramfs, commandLine, memory, cpus, forwards);
    }

    /** The command for {@code machine}; the other parameters as {@link #build(String, boolean, Path, Path, String, String, int, List)}. */
    public static List<String> build(Machine machine, String qemu, boolean kvm, Path kernel, Path initramfs, String commandLine,
                                     String memory, int cpus, List<Forwards.Forward> forwards) {
        List<String> command = new ArrayList<>(List.of(qemu,
                "-machine", machine.machineOption(kvm),
                "-cpu", kvm ? "host" : "max",
                "-m", memory, "-smp", Integer.toString(cpus),
                "-display", "none", "-monitor", "none", "-serial", "stdio",
                "-no-reboot",
                "-kernel", kernel.toString(), "-initrd", initramfs.toString(), "-append", commandLine,
                "-device", DEBUG_EXIT_DEVICE));
        command.addAll(machine.extraArguments());
        if (forwards.isEmpty()) {
            command.addAll(List.of("-nic", "none"));
        } else {
            StringBuilder netdev = new StringBuilder("user,id=" + NETDEV_ID);
            forwards.forEach(f -> netdev.append(",hostfwd=").append(f.hostfwd()));
            command.addAll(List.of("-netdev", netdev.toString(), "-device", machine.nicDevice(NIC_DEVICE)));
        }
        return command;
    }

    /** The binary's absolute path on the PATH, or null. */
    public static Path find(String binary) {
        if (binary.contains("/")) {
            Path path = Path.of(binary);
            return java.nio.file.Files.isExecutable(path) ? path : null;
        }
        String pathVariable = System.getenv("PATH");
        if (pathVariable == null) {
            return null;
        }
        for (String directory : pathVariable.split(":")) {
            Path candidate = Path.of(directory.isEmpty() ? "." : directory, binary);
            if (java.nio.file.Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
