package dev.libos.maven.image;

import java.util.ArrayList;
import java.util.List;

/**
 * The guest kernel's command line. Everything before {@code --} is for the kernel; the kernel
 * passes unknown {@code NAME=value} words (without a dot) to init as its environment, and every
 * word after {@code --} to init as its arguments. init is {@link InitStub} ({@code rdinit=}), which
 * mounts the kernel's file systems and execs the JVM with those arguments and that environment.
 */
public final class KernelCommandLine {
    /** x86's COMMAND_LINE_SIZE, terminating NUL included. */
    public static final int MAX_BYTES = 2048;
    /** Where the runtime lives in the guest. */
    public static final String JAVA = "/jvm/bin/java";
    /** Where the init stub ({@link InitStub}) lives in the guest. */
    public static final String INIT = "/libos/init";
    /** The guest's entry point. */
    public static final String BOOT_CLASS = "dev.libos.core.Boot";

    private KernelCommandLine() {
    }

    /**
     * Builds the command line.
     *
     * @param classPath   guest paths of the jars, in class path order
     * @param mainClass   application main class
     * @param cpus        virtual CPUs libos uses
     * @param jvmOptions  extra JVM options
     */
    public static String build(List<String> classPath, String mainClass, int cpus, List<String> jvmOptions) {
        List<String> words = new ArrayList<>(List.of(
                "console=ttyS0",        // the serial port is the console: QEMU maps it to stdout
                "quiet",                // kernel messages only at warning and above
                "panic=-1",             // a dying init reboots at once; QEMU's -no-reboot turns that into exit
                // No self-tests of every crypto algorithm at boot (crypto/testmgr.c; ignored in FIPS
                // mode, which always tests): 0.3-0.6 s under TCG, before init can run.
                "cryptomgr.notests=1",
                "rdinit=" + INIT,       // the stub mounts /proc, /sys, /dev, then execs the JVM as PID 1
                "LANG=C.UTF-8",         // environment for the JVM (glibc has C.UTF-8 built in)
                // The launcher's RUNPATH is $ORIGIN-relative, which the loader resolves through
                // /proc/self/exe; name the paths, so the JVM also starts where /proc is not mounted.
                "LD_LIBRARY_PATH=/jvm/lib:/jvm/lib/server"));
        words.add("--");
        words.add("-XX:-UsePerfData");  // no /tmp/hsperfdata in an initramfs
        words.add("-XX:+ErrorFileToStdout"); // a crash report is lost in the initramfs: print it on the console
        words.add("--add-opens=java.base/java.lang=ALL-UNNAMED");
        words.add("--add-exports=java.base/sun.nio.ch=ALL-UNNAMED"); // libos-jvm-net's PlatformSockets (the host's own sockets)
        words.add("--enable-native-access=ALL-UNNAMED");
        words.add("-Dlibos.main=" + mainClass);
        words.add("-Dlibos.cpus=" + cpus);
        words.addAll(jvmOptions);
        words.add("-cp");
        words.add(String.join(":", classPath));
        words.add(BOOT_CLASS);
        String line = String.join(" ", words);
        if (line.length() + 1 > MAX_BYTES) {
            throw new IllegalArgumentException("jvmOptions: the kernel command line would be " + line.length()
                    + " bytes, over the kernel's limit of " + (MAX_BYTES - 1) + ": " + line);
        }
        return line;
    }
}
