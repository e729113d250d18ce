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
    /** The network backend's id. */
    static final String NETDEV_ID = "net0";
    /**
     * TCG, one thread for all virtual CPUs. HotSpot patches the first instruction of a compiled
     * method (a jump, when the method is made not entrant) while other CPUs may be running it,
     * relying on x86's rules for cross-modifying code. Multi-threaded TCG (QEMU 7.2) does not keep
     * them: a CI guest died twice with SIGSEGV at the first byte of a C1 method just after C2
     * replaced it. With one TCG thread, CPUs interleave only between translated blocks, so no
     * block is translated from a half-written instruction. It costs boot time (main at 13.7 s
     * instead of 9.4 s in one measurement) and does not apply to KVM.
     */
    public static final String TCG_ACCELERATOR = "tcg,thread=single";
    /** The default NIC's {@code -device} argument ({@link NicModel#VIRTIO}). */
    public static final String NIC_DEVICE = NicModel.VIRTIO.deviceArgument(NETDEV_ID);

    private QemuCommand() {
    }

    /**
     * What to boot and how.
     *
     * @param machine     the QEMU machine
     * @param kvm         true for KVM (host CPU), false for TCG (emulated CPU "max")
     * @param kernel      kernel file
     * @param initramfs   initramfs file
     * @param commandLine kernel command line
     * @param memory      memory, QEMU notation
     * @param cpus        virtual CPUs
     * @param network     what the guest's NIC is connected to on the host
     * @param nic         the network card, present only with a network backend
     * @param drives      the disks
     * @param firmware    UEFI firmware to boot a disk with ({@link UefiBoot}); null: direct kernel boot
     */
    public record Vm(Machine machine, boolean kvm, Path kernel, Path initramfs, String commandLine, String memory,
                     int cpus, NetworkBackend network, NicModel nic, List<QemuDrives.Drive> drives, UefiBoot.Firmware firmware) {
        public Vm {
            drives = List.copyOf(drives);
        }

        /** A q35 VM without NIC or disks: the starting point the {@code with} methods change. */
        public static Vm of(boolean kvm, Path kernel, Path initramfs, String commandLine, String memory, int cpus) {
            return new Vm(Machine.Q35, kvm, kernel, initramfs, commandLine, memory, cpus, NetworkBackend.NONE,
                    NicModel.DEFAULT, List.of(), null);
        }

        public Vm withMachine(Machine newMachine) {
            return new Vm(newMachine, kvm, kernel, initramfs, commandLine, memory, cpus, network, nic, drives, firmware);
        }

        public Vm withNetwork(NetworkBackend newNetwork, NicModel newNic) {
            return new Vm(machine, kvm, kernel, initramfs, commandLine, memory, cpus, newNetwork, newNic, drives, firmware);
        }

        public Vm withDrives(List<QemuDrives.Drive> newDrives) {
            return new Vm(machine, kvm, kernel, initramfs, commandLine, memory, cpus, network, nic, newDrives, firmware);
        }

        /** Boots through {@code newFirmware} from the disks instead of QEMU's direct kernel boot. */
        public Vm withFirmware(UefiBoot.Firmware newFirmware) {
            return new Vm(machine, kvm, kernel, initramfs, commandLine, memory, cpus, network, nic, drives, newFirmware);
        }
    }

    /**
     * The command line that boots {@code vm} with the QEMU binary {@code qemu}.
     *
     * @throws IllegalArgumentException for what the machine cannot have (microvm: no PCI, so no
     *         vmxnet3 and no disks yet), naming the setting
     */
    public static List<String> build(String qemu, Vm vm) {
        Machine machine = vm.machine();
        List<String> command = new ArrayList<>(List.of(qemu,
                "-machine", machine.machineOption(),
                "-accel", vm.kvm() ? "kvm" : TCG_ACCELERATOR,
                "-cpu", vm.kvm() ? "host" : "max",
                "-m", vm.memory(), "-smp", Integer.toString(vm.cpus()),
                "-display", "none", "-monitor", "none", "-serial", "stdio",
                "-no-reboot",
                "-device", DEBUG_EXIT_DEVICE));
        if (vm.firmware() == null) {
            command.addAll(List.of("-kernel", vm.kernel().toString(), "-initrd", vm.initramfs().toString(), "-append", vm.commandLine()));
        } else {
            if (machine != Machine.Q35) {
                throw new IllegalArgumentException("machine: UEFI boot (libos.boot=uefi) needs machine q35, not " + machine.settingName());
            }
            command.addAll(List.of(
                    "-drive", "if=pflash,format=raw,unit=0,readonly=on,file=" + QemuDrives.escape(vm.firmware().code().toString()),
                    "-drive", "if=pflash,format=raw,unit=1,file=" + QemuDrives.escape(vm.firmware().vars().toString())));
        }
        command.addAll(machine.extraArguments());
        String netdev = vm.network().netdev(NETDEV_ID);
        if (netdev == null) {
            command.addAll(List.of("-nic", "none"));
        } else {
            command.addAll(List.of("-netdev", netdev, "-device", machine.nicDevice(vm.nic(), NETDEV_ID)));
        }
        if (!vm.drives().isEmpty()) {
            machine.checkDisks(vm.drives().size());
            command.addAll(QemuDrives.arguments(vm.drives()));
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
