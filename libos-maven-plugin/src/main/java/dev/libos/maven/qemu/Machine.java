package dev.libos.maven.qemu;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The QEMU machine an image boots on, chosen with {@code -Dlibos.machine}. Both boot the same
 * kernel and initramfs; they differ in the bus the NIC sits on, which the guest's driver probe
 * handles (PCI first, then virtio-mmio).
 */
public enum Machine {
    /** A PC with PCIe: the NIC is the PCI one {@link QemuCommand} chooses. */
    Q35("q35", List.of(), null),
    /**
     * QEMU's minimal machine (docs/system/i386/microvm.rst): no PCI, virtio devices on
     * virtio-mmio transports at fixed addresses, which its ACPI tables (on by default) describe
     * as LNRO0005 devices. {@code force-legacy=false} makes the transports version 2 (QEMU
     * defaults to the legacy version 1, which libos does not drive). {@code auto-kernel-cmdline=off}:
     * without ACPI QEMU would append {@code virtio_mmio.device=} words to the command line, where
     * they would land after {@code --}, among the JVM's arguments.
     */
    MICROVM("microvm", List.of("-global", "virtio-mmio.force-legacy=false"), "virtio-net-device,netdev=%s") {
        @Override
        String machineOption() {
            return super.machineOption() + ",auto-kernel-cmdline=off";
        }
    };

    private final String qemuName;
    private final List<String> extraArguments;
    /** The NIC on a machine without PCI (format with the netdev id); null where the PCI NIC is used. */
    private final String nicDevice;

    Machine(String qemuName, List<String> extraArguments, String nicDevice) {
        this.qemuName = qemuName;
        this.extraArguments = extraArguments;
        this.nicDevice = nicDevice;
    }

    /** The value of {@code libos.machine} that names it. */
    public String settingName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The {@code -machine} value. */
    String machineOption() {
        return qemuName;
    }

    /** microvm's reset: a triple fault (see {@link #kernelCommandLine}). */
    static final String MICROVM_REBOOT = "reboot=t";

    /**
     * The kernel command line to boot with: {@code commandLine}, plus on microvm
     * {@value #MICROVM_REBOOT} and, under TCG, {@code tsc_early_khz=} from the host when
     * {@link HostTsc} trusts its rate (microvm's Linux has only the PIT to calibrate the TSC
     * against, which fails on a loaded host). {@value #MICROVM_REBOOT}: when the JVM (PID 1) ends,
     * the kernel panics and restarts the machine, which QEMU's {@code -no-reboot} turns into its
     * exit; microvm has no keyboard controller, and the default restart sequence (ACPI, then the
     * keyboard controller, with delays) once spun for minutes in CI on a loaded host instead of
     * resetting. A triple fault resets at once, on any machine. Kernel words go first:
     * everything after {@code --} belongs to the JVM.
     */
    public String kernelCommandLine(String commandLine, boolean kvm, String hostCpuinfo) {
        if (this != MICROVM) {
            return commandLine;
        }
        String kernelWords = MICROVM_REBOOT + " ";
        java.util.OptionalLong khz = kvm ? java.util.OptionalLong.empty() : HostTsc.khz(hostCpuinfo);
        if (khz.isPresent()) {
            kernelWords += "tsc_early_khz=" + khz.getAsLong() + " ";
        }
        return kernelWords + commandLine;
    }

    /** Arguments the machine needs besides {@code -machine}. */
    List<String> extraArguments() {
        return extraArguments;
    }

    /**
     * The {@code -device} value of the NIC on backend {@code netdevId}: {@code nic} on a machine
     * with PCI, the machine's own virtio-net otherwise.
     *
     * @throws IllegalArgumentException for a PCI-only card on a machine without PCI
     */
    String nicDevice(NicModel nic, String netdevId) {
        if (nicDevice == null) {
            return nic.deviceArgument(netdevId);
        }
        if (nic != NicModel.VIRTIO) {
            throw new IllegalArgumentException("nic: machine " + settingName() + " has no PCI, so its NIC is virtio-net"
                    + " on virtio-mmio (got nic " + nic.settingValue() + ")");
        }
        return String.format(nicDevice, netdevId);
    }

    /**
     * Checks that the machine can take {@code count} disks: q35 any (virtio-blk PCI), microvm none
     * yet (libos-guest finds disks on PCI only).
     *
     * @throws IllegalArgumentException naming the machine
     */
    void checkDisks(int count) {
        if (nicDevice != null && count > 0) {
            throw new IllegalArgumentException("machine " + settingName() + ": " + count + " disk(s) asked for, but disks"
                    + " are attached as virtio-blk PCI and libos-guest probes PCI only; use machine q35 (or"
                    + " -Dlibos.state=none and no files volume)");
        }
    }

    /**
     * The machine {@code value} names (case-insensitive).
     *
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static Machine parse(String value) {
        String accepted = Arrays.stream(values()).map(Machine::settingName).collect(Collectors.joining(", "));
        if (value == null) {
            throw new IllegalArgumentException("machine must be one of " + accepted + " (got none)");
        }
        for (Machine machine : values()) {
            if (machine.settingName().equals(value.strip().toLowerCase(Locale.ROOT))) {
                return machine;
            }
        }
        throw new IllegalArgumentException("machine must be one of " + accepted + " (got '" + value + "')");
    }
}
