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
    /** The default NIC's {@code -device} argument ({@link NicModel#VIRTIO}). */
    public static final String NIC_DEVICE = NicModel.VIRTIO.deviceArgument(NETDEV_ID);

    private QemuCommand() {
    }

    /** {@link #build(String, boolean, Path, Path, String, String, int, NetworkBackend, NicModel)} with the default NIC. */
    public static List<String> build(String qemu, boolean kvm, Path kernel, Path initramfs, String commandLine,
                                     String memory, int cpus, NetworkBackend network) {
        return build(qemu, kvm, kernel, initramfs, commandLine, memory, cpus, network, NicModel.DEFAULT);
    }

    /**
     * @param qemu        QEMU binary
     * @param kvm         true for KVM (host CPU), false for TCG (emulated CPU "max")
     * @param kernel      kernel file
     * @param initramfs   initramfs file
     * @param commandLine kernel command line
     * @param memory      memory, QEMU notation
     * @param cpus        virtual CPUs
     * @param network     what the guest's NIC is connected to on the host
     * @param nic         the network card, present only with a network backend
     */
    public static List<String> build(String qemu, boolean kvm, Path kernel, Path initramfs, String commandLine,
                                     String memory, int cpus, NetworkBackend network, NicModel nic) {
        List<String> command = new ArrayList<>(List.of(qemu,
                "-machine", kvm ? "q35,accel=kvm" : "q35,accel=tcg",
                "-cpu", kvm ? "host" : "max",
                "-m", memory, "-smp", Integer.toString(cpus),
                "-display", "none", "-monitor", "none", "-serial", "stdio",
                "-no-reboot",
                "-kernel", kernel.toString(), "-initrd", initramfs.toString(), "-append", commandLine,
                "-device", DEBUG_EXIT_DEVICE));
        String netdev = network.netdev(NETDEV_ID);
        if (netdev == null) {
            command.addAll(List.of("-nic", "none"));
        } else {
            command.addAll(List.of("-netdev", netdev, "-device", nic.deviceArgument(NETDEV_ID)));
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
