package dev.libos.maven.qemu;

import dev.libos.maven.image.KernelCommandLine;

/**
 * The guest JVM's JIT under TCG: C1 only ({@value #C1_ONLY}) unless the image chose its own
 * tiers. Under emulation every compile costs what the emulated code does, tens of times native,
 * and C2's are the long ones: in benchmarks/guest-wake (http-netty, wrk -c1, QEMU TCG, two
 * vCPUs) C1 and C2 took 4.5-5.5 of every 10 s of guest CPU still 40 s into the load, and the
 * guest served 45-53 requests/s; with C1 only, 372 (docs/architecture.md, "Where a request's
 * time goes"). KVM guests keep the default tiers.
 */
public final class TcgJit {
    /** The JVM option added under TCG. */
    public static final String C1_ONLY = "-XX:TieredStopAtLevel=1";
    private static final String JVM_WORDS = " -- ";

    private TcgJit() {
    }

    /**
     * {@code commandLine} with {@link #C1_ONLY} as the JVM's first option when the guest runs
     * under TCG ({@code kvm} false) and {@code c1Only} is set; unchanged when the JVM options
     * already name a tier setting ({@code TieredStopAtLevel}, {@code TieredCompilation}), when
     * the line has no {@code --}, or when the option would not fit the kernel's limit.
     */
    public static String apply(String commandLine, boolean kvm, boolean c1Only) {
        if (kvm || !c1Only) {
            return commandLine;
        }
        int separator = commandLine.indexOf(JVM_WORDS);
        if (separator < 0) {
            return commandLine;
        }
        String jvmWords = commandLine.substring(separator + JVM_WORDS.length());
        if (jvmWords.contains("TieredStopAtLevel") || jvmWords.contains("TieredCompilation")) {
            return commandLine; // the image's own choice
        }
        String line = commandLine.substring(0, separator + JVM_WORDS.length()) + C1_ONLY + " " + jvmWords;
        return line.length() + 1 > KernelCommandLine.MAX_BYTES ? commandLine : line;
    }
}
