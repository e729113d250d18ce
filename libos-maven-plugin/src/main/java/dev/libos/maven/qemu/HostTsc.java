package dev.libos.maven.qemu;

import java.util.Arrays;
import java.util.HashSet;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The host's TSC rate, for guests that cannot measure it. Under TCG the guest's TSC is the
 * host's (QEMU reads the host counter), and on microvm Linux can calibrate it only against the
 * PIT: the machine has no HPET and no ACPI PM timer. On a loaded host the PIT calibration fails
 * and the kernel then hangs early in boot; {@code tsc_early_khz=} on its command line skips the
 * calibration.
 *
 * <p>The rate is {@code cpu MHz} of the host's {@code /proc/cpuinfo}, trusted only when that
 * field is the kernel's calibrated {@code cpu_khz} and the TSC runs at a constant rate: the
 * {@code constant_tsc} flag present and {@code aperfmperf} absent (with APERF/MPERF, as on most
 * bare-metal hosts, the field is the current clock frequency, not the TSC's). Typical of virtual
 * machines, which is where a CI host is.
 */
public final class HostTsc {
    private HostTsc() {
    }

    /** The TSC rate in kHz that {@code cpuinfo} (the host's {@code /proc/cpuinfo}) vouches for, if any. */
    public static OptionalLong khz(String cpuinfo) {
        Double mhz = null;
        Set<String> flags = null;
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            if (key.equals("cpu MHz") && mhz == null) {
                try {
                    mhz = Double.parseDouble(value);
                } catch (NumberFormatException e) {
                    return OptionalLong.empty();
                }
            } else if (key.equals("flags") && flags == null) {
                flags = new HashSet<>(Arrays.asList(value.split("\\s+")));
            }
            if (mhz != null && flags != null) {
                break;
            }
        }
        if (mhz == null || flags == null || !flags.contains("constant_tsc") || flags.contains("aperfmperf")
                || !(mhz >= 100 && mhz <= 100_000)) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.round(mhz * 1000));
    }
}
