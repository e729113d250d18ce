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
    void debugExitCodeMapsBackToTheStatus() {
        GuestExit exit = new GuestExit();
        assertEquals(OptionalInt.of(0), exit.status(1));
        assertEquals(OptionalInt.of(3), exit.status(7));
        assertEquals(OptionalInt.of(127), exit.status(255));
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

    @Test
    void commandUsesTcgWithTheMaxCpuOrKvmWithTheHostCpu() {
        List<String> tcg = QemuCommand.build("qemu", false, Path.of("k"), Path.of("i"), "console=ttyS0", "512M", 2, List.of());
        assertTrue(String.join(" ", tcg).contains("-machine q35,accel=tcg -cpu max -m 512M -smp 2"), tcg.toString());
        assertTrue(tcg.contains(QemuCommand.DEBUG_EXIT_DEVICE) && tcg.contains("-no-reboot"));
        assertEquals("none", tcg.get(tcg.indexOf("-nic") + 1));
        List<String> kvm = QemuCommand.build("qemu", true, Path.of("k"), Path.of("i"), "c", "1G", 1, List.of(new Forwards.Forward(8080, 80)));
        assertTrue(String.join(" ", kvm).contains("-machine q35,accel=kvm -cpu host"));
        assertEquals("user,id=net0,hostfwd=tcp:127.0.0.1:8080-:80", kvm.get(kvm.indexOf("-netdev") + 1));
        assertEquals("virtio-net-pci,netdev=net0,disable-legacy=on", kvm.get(kvm.indexOf("-netdev") + 3));
    }

    @Test
    void microvmPutsTheNicOnVirtioMmioVersion2AndKeepsTheDebugExitDevice() {
        List<String> microvm = QemuCommand.build(Machine.MICROVM, "qemu", false, Path.of("k"), Path.of("i"), "c", "512M", 2,
                List.of(new Forwards.Forward(17777, 7777)));
        String line = String.join(" ", microvm);
        assertTrue(line.contains("-machine microvm,accel=tcg,auto-kernel-cmdline=off -cpu max"), line);
        assertTrue(line.contains("-global virtio-mmio.force-legacy=false"), line);
        assertEquals("virtio-net-device,netdev=net0", microvm.get(microvm.indexOf("-netdev") + 3));
        assertTrue(microvm.contains(QemuCommand.DEBUG_EXIT_DEVICE) && microvm.contains("-no-reboot"));
        assertTrue(line.contains("-serial stdio"), line);
        assertTrue(String.join(" ", QemuCommand.build(Machine.MICROVM, "qemu", true, Path.of("k"), Path.of("i"), "c", "1G", 1, List.of()))
                .contains("-machine microvm,accel=kvm,auto-kernel-cmdline=off -cpu host"));
    }

    @Test
    void q35IsTheDefaultAndKeepsThePciNic() {
        List<Forwards.Forward> forward = List.of(new Forwards.Forward(8080, 80));
        assertEquals(QemuCommand.build("qemu", false, Path.of("k"), Path.of("i"), "c", "1G", 1, forward),
                QemuCommand.build(Machine.Q35, "qemu", false, Path.of("k"), Path.of("i"), "c", "1G", 1, forward));
        assertFalse(String.join(" ", QemuCommand.build(Machine.Q35, "qemu", false, Path.of("k"), Path.of("i"), "c", "1G", 1, forward))
                .contains("virtio-mmio"));
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
        assertEquals("tsc_early_khz=2596136 " + line, Machine.MICROVM.kernelCommandLine(line, false, VM_CPUINFO));
        assertEquals(line, Machine.MICROVM.kernelCommandLine(line, true, VM_CPUINFO), "KVM guests have kvmclock");
        assertEquals(line, Machine.MICROVM.kernelCommandLine(line, false, ""), "no trusted rate: the kernel calibrates");
        assertEquals(line, Machine.Q35.kernelCommandLine(line, false, VM_CPUINFO), "q35 has an HPET to calibrate against");
    }
}
