package dev.libos.maven.image;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The image goal's configuration, validated once: {@link #validate()} reports every bad value
 * with the name of its setting.
 *
 * @param mainClass    the application's main class, run by {@code dev.libos.core.Boot}
 * @param kernel       the guest kernel; null for the default lookup ({@link KernelLocator})
 * @param memory       guest memory in QEMU's notation: a number with suffix M or G, e.g. 512M
 * @param cpus         guest virtual CPUs, 1-64
 * @param extraFiles   files or directories copied into the guest under /app/files
 * @param jvmOptions   extra JVM options, one token each (they travel on the kernel command line)
 * @param files        the directory whose tree becomes the files volume ({@link FilesVolume}), or
 *                     null for an image without one
 */
public record ImageSettings(String mainClass, Path kernel, String memory, int cpus, List<Path> extraFiles,
                            List<String> jvmOptions, Path files) {

    private static final Pattern CLASS_NAME =
            Pattern.compile("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*");
    private static final Pattern SIZE = Pattern.compile("([1-9][0-9]{0,6})([MG])");
    private static final long MIN_MEMORY_MIB = 128;
    private static final long MAX_MEMORY_MIB = 64 * 1024;

    public ImageSettings {
        extraFiles = extraFiles == null ? List.of() : List.copyOf(extraFiles);
        jvmOptions = jvmOptions == null ? List.of() : List.copyOf(jvmOptions);
    }

    /** Memory in MiB (valid settings only). */
    public long memoryMiB() {
        return mebibytes(memory);
    }

    /**
     * Checks every setting.
     *
     * @throws IllegalArgumentException listing each bad setting by name with its value
     */
    public ImageSettings validate() {
        List<String> errors = new ArrayList<>();
        if (mainClass == null || !CLASS_NAME.matcher(mainClass).matches()) {
            errors.add("mainClass must be a fully qualified class name (got '" + mainClass + "')");
        }
        if (kernel != null && !Files.isRegularFile(kernel)) {
            errors.add("kernel must name a readable kernel image file (got '" + kernel + "')");
        }
        if (memory == null || !SIZE.matcher(memory).matches()) {
            errors.add("memory must be a size like 512M or 2G (got '" + memory + "')");
        } else if (memoryMiB() < MIN_MEMORY_MIB || memoryMiB() > MAX_MEMORY_MIB) {
            errors.add("memory must be between " + MIN_MEMORY_MIB + "M and " + MAX_MEMORY_MIB / 1024 + "G (got '" + memory + "')");
        }
        if (cpus < 1 || cpus > 64) {
            errors.add("cpus must be between 1 and 64 (got " + cpus + ")");
        }
        for (Path file : extraFiles) {
            if (file == null || !Files.exists(file)) {
                errors.add("extraFiles: no such file or directory '" + file + "'");
            }
        }
        for (String option : jvmOptions) {
            if (option == null || !option.startsWith("-") || option.chars().anyMatch(c -> c <= ' ' || c == '"' || c > 126)) {
                errors.add("jvmOptions: each option must be one printable token starting with '-', without spaces or quotes (got '" + option + "')");
            }
        }
        if (files != null && !Files.isDirectory(files)) {
            errors.add("files must name a directory (got '" + files + "')");
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("invalid libos image configuration:\n  " + String.join("\n  ", errors));
        }
        return this;
    }

    private static long mebibytes(String size) {
        var m = SIZE.matcher(size);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a size: " + size);
        }
        long value = Long.parseLong(m.group(1));
        return m.group(2).equals("G") ? value * 1024 : value;
    }
}
