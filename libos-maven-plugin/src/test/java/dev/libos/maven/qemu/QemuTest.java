package dev.libos.maven.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class QemuTest {
    @Test
    void debugExitCodeCountsOnlyWithTheGuestsStatusLine() {
        GuestExit exit = new GuestExit();
        assertEquals(OptionalInt.empty(), exit.status(1), "QEMU's own failure (exit 1) is not status 0");
        exit.observe("libos: exit status 3, powering off");
        assertEquals(OptionalInt.of(3), exit.status(7));
        GuestExit large = new GuestExit();
        large.observe("libos: exit status 200, powering off");
        assertEquals(OptionalInt.of(200), large.status(127 << 1 | 1), "the device carries 127, the line the whole status");
    }

    @Test
    void initsExitCodeFromTheKernelPanicCarriesSystemExit() {
        GuestExit exit = new GuestExit();
        exit.observe("[   27.03] Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000300");
        assertEquals(OptionalInt.of(3), exit.status(0));
        GuestExit killed = new GuestExit();
        killed.observe("Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000086");
        assertEquals(OptionalInt.of(128 + 6), killed.status(0), "SIGABRT");
    }

    @Test
    void statusLineIsTheLastResortAndQemuFailuresReportNothing() {
        GuestExit exit = new GuestExit();
        assertEquals(OptionalInt.empty(), exit.status(0));
        exit.observe("libos: exit status 5, powering off");
        assertEquals(OptionalInt.of(5), exit.status(0));
        assertEquals(OptionalInt.empty(), exit.status(2), "QEMU's own error exit");
    }

    @Test
    void forwardsParseAndNameTheSettingOnError() {
        assertEquals(List.of(new Forwards.Forward(8080, 80), new Forwards.Forward(9000, 9001)), Forwards.parse("8080:80, 9000:9001"));
        assertEquals(List.of(), Forwards.parse(" "));
        assertEquals("tcp:127.0.0.1:8080-:80", new Forwards.Forward(8080, 80).hostfwd());
        for (String bad : List.of("8080", "0:80", "8080:70000", "a:b", "1:2:3")) {
            assertTrue(assertThrows(IllegalArgumentException.class, () -> Forwards.parse(bad)).getMessage().startsWith("forwards"), bad);
        }
    }

    private static final NetworkBackend FORWARD = new NetworkBackend.User(List.of(new Forwards.Forward(8080, 80)));

    private static QemuCommand.Vm vm(boolean kvm) {
        return QemuCommand.Vm.of(kvm, Path.of("k"), Path.of("i"), "console=ttyS0", "512M", 2);
    }

    @Test
    void commandUsesTcgWithTheMaxCpuOrKvmWithTheHostCpu() {
        List<String> tcg = QemuCommand.build("qemu", vm(false));
        assertTrue(String.join(" ", tcg).contains("-machine q35 -accel tcg,thread=single -cpu max -m 512M -smp 2"), tcg.toString());
        assertTrue(tcg.contains(QemuCommand.DEBUG_EXIT_DEVICE) && tcg.contains("-no-reboot"));
        assertEquals("none", tcg.get(tcg.indexOf("-nic") + 1));
        List<String> kvm = QemuCommand.build("qemu", vm(true).withNetwork(FORWARD, NicModel.DEFAULT));
        assertTrue(String.join(" ", kvm).contains("-machine q35 -accel kvm -cpu host"));
        assertEquals("user,id=net0,hostfwd=tcp:127.0.0.1:8080-:80", kvm.get(kvm.indexOf("-netdev") + 1));
        assertEquals("virtio-net-pci,netdev=net0,disable-legacy=on", kvm.get(kvm.indexOf("-netdev") + 3));
    }

    @Test
    void networkBackendFollowsTheSettingsAndRejectsTapWithForwards() {
        assertEquals(NetworkBackend.NONE, NetworkBackend.of(null, List.of()));
        assertEquals(NetworkBackend.NONE, NetworkBackend.of(" ", List.of()));
        assertTrue(NetworkBackend.of(null, List.of(new Forwards.Forward(1, 2))) instanceof NetworkBackend.User);
        NetworkBackend tap = NetworkBackend.of(" ltap0 ", List.of());
        assertEquals("tap,id=net0,ifname=ltap0,script=no,downscript=no", tap.netdev("net0"));
        List<String> command = QemuCommand.build("qemu", vm(false).withNetwork(tap, NicModel.DEFAULT));
        assertEquals(QemuCommand.NIC_DEVICE, command.get(command.indexOf("-netdev") + 3));
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
                () -> NetworkBackend.of("ltap0", List.of(new Forwards.Forward(1, 2))));
        assertTrue(both.getMessage().startsWith("tap:") && both.getMessage().contains("ltap0"), both.getMessage());
        for (String bad : List.of("a,b", "tap/0", "sixteen-chars-xx", "t 0")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NetworkBackend.of(bad, List.of()), bad);
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void theNicIsVirtioByDefaultAndVmxnet3OnRequest() {
        List<String> byDefault = QemuCommand.build("qemu", vm(false).withNetwork(FORWARD, NicModel.DEFAULT));
        assertEquals("virtio-net-pci,netdev=net0,disable-legacy=on", byDefault.get(byDefault.indexOf("-netdev") + 3));
        List<String> vmxnet3 = QemuCommand.build("qemu", vm(false).withNetwork(FORWARD, NicModel.VMXNET3));
        assertEquals("-device", vmxnet3.get(vmxnet3.indexOf("-netdev") + 2));
        assertEquals("vmxnet3,netdev=net0", vmxnet3.get(vmxnet3.indexOf("-netdev") + 3));
        assertFalse(vmxnet3.contains(QemuCommand.NIC_DEVICE), "only one NIC");
        List<String> none = QemuCommand.build("qemu", vm(false).withNetwork(NetworkBackend.NONE, NicModel.VMXNET3));
        assertEquals("none", none.get(none.indexOf("-nic") + 1), "no network backend: no NIC whatever the model");
    }

    @Test
    void nicSettingParsesAndNamesTheBadValueAndTheAcceptedOnes() {
        assertEquals(NicModel.VIRTIO, NicModel.parse("virtio"));
        assertEquals(NicModel.VMXNET3, NicModel.parse(" VMXNET3 "));
        assertEquals(NicModel.VIRTIO, NicModel.parse(""), "blank: the default");
        assertEquals(NicModel.VIRTIO, NicModel.parse(null));
        var e = assertThrows(IllegalArgumentException.class, () -> NicModel.parse("e1000"));
        assertEquals("nic must be one of virtio, vmxnet3 (got 'e1000')", e.getMessage());
    }

    @Test
    void microvmPutsTheNicOnVirtioMmioVersion2AndKeepsTheDebugExitDevice() {
        List<String> microvm = QemuCommand.build("qemu", vm(false).withMachine(Machine.MICROVM)
                .withNetwork(new NetworkBackend.User(List.of(new Forwards.Forward(17777, 7777))), NicModel.DEFAULT));
        String line = String.join(" ", microvm);
        assertTrue(line.contains("-machine microvm,auto-kernel-cmdline=off -accel tcg,thread=single -cpu max"), line);
        assertTrue(line.contains("-global virtio-mmio.force-legacy=false"), line);
        assertEquals("virtio-net-device,netdev=net0", microvm.get(microvm.indexOf("-netdev") + 3));
        assertTrue(microvm.contains(QemuCommand.DEBUG_EXIT_DEVICE) && microvm.contains("-no-reboot"));
        assertTrue(line.contains("-serial stdio"), line);
        assertTrue(String.join(" ", QemuCommand.build("qemu", vm(true).withMachine(Machine.MICROVM)))
                .contains("-machine microvm,auto-kernel-cmdline=off -accel kvm -cpu host"));
    }

    @Test
    void microvmRefusesWhatNeedsPciNamingTheSetting() {
        QemuCommand.Vm microvm = vm(false).withMachine(Machine.MICROVM);
        IllegalArgumentException nic = assertThrows(IllegalArgumentException.class,
                () -> QemuCommand.build("qemu", microvm.withNetwork(FORWARD, NicModel.VMXNET3)));
        assertTrue(nic.getMessage().startsWith("nic: machine microvm has no PCI") && nic.getMessage().contains("vmxnet3"),
                nic.getMessage());
        IllegalArgumentException disks = assertThrows(IllegalArgumentException.class,
                () -> QemuCommand.build("qemu", microvm.withDrives(List.of(new QemuDrives.Drive("libos-files", Path.of("f.img"), true)))));
        assertTrue(disks.getMessage().startsWith("machine microvm: 1 disk(s)"), disks.getMessage());
    }

    @Test
    void q35IsTheDefaultAndKeepsThePciNicAndDisks() {
        QemuCommand.Vm q35 = vm(false).withNetwork(FORWARD, NicModel.DEFAULT)
                .withDrives(List.of(new QemuDrives.Drive("libos-files", Path.of("f.img"), true)));
        assertEquals(Machine.Q35, q35.machine());
        String line = String.join(" ", QemuCommand.build("qemu", q35));
        assertFalse(line.contains("virtio-mmio"), line);
        assertTrue(line.contains("virtio-blk-pci,") && line.contains("serial=libos-files"), line);
    }

    @Test
    void machineNamesParseAndUnknownOnesAreNamedWithTheAcceptedOnes() {
        assertEquals(Machine.Q35, Machine.parse("q35"));
        assertEquals(Machine.MICROVM, Machine.parse(" MicroVM "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Machine.parse("pc"));
        assertEquals("machine must be one of q35, microvm (got 'pc')", e.getMessage());
        assertEquals("machine must be one of q35, microvm (got none)",
                assertThrows(IllegalArgumentException.class, () -> Machine.parse(null)).getMessage());
    }

    private static final String VM_CPUINFO = """
            processor	: 0
            model name	: AMD EPYC
            cpu MHz		: 2596.136
            flags		: fpu tsc msr constant_tsc rep_good nonstop_tsc tsc_known_freq
            processor	: 1
            cpu MHz		: 2596.136
            """;

    @Test
    void hostTscRateIsTrustedOnlyWhenCpuMhzIsTheConstantTscRate() {
        assertEquals(java.util.OptionalLong.of(2_596_136), HostTsc.khz(VM_CPUINFO));
        assertTrue(HostTsc.khz(VM_CPUINFO.replace("constant_tsc ", "")).isEmpty(), "a TSC whose rate varies");
        assertTrue(HostTsc.khz(VM_CPUINFO.replace("tsc_known_freq", "tsc_known_freq aperfmperf")).isEmpty(),
                "cpu MHz is then the current clock frequency");
        assertTrue(HostTsc.khz(VM_CPUINFO.replace("2596.136", "fast")).isEmpty());
        assertTrue(HostTsc.khz("").isEmpty());
    }

    @Test
    void microvmUnderTcgSkipsTheTscCalibrationWithTheHostRateAndOnlyThen() {
        String line = "console=ttyS0 quiet -- -Xmx64m Main";
        assertEquals("reboot=t tsc_early_khz=2596136 " + line, Machine.MICROVM.kernelCommandLine(line, false, VM_CPUINFO));
        assertEquals("reboot=t " + line, Machine.MICROVM.kernelCommandLine(line, true, VM_CPUINFO), "KVM guests have kvmclock");
        assertEquals("reboot=t " + line, Machine.MICROVM.kernelCommandLine(line, false, ""), "no trusted rate: the kernel calibrates");
        assertEquals(line, Machine.Q35.kernelCommandLine(line, false, VM_CPUINFO), "q35 has an HPET to calibrate against");
    }
}
