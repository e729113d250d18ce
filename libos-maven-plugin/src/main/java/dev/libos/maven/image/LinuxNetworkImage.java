package dev.libos.maven.image;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The image variant {@code libos.network=linux}: the guest runs on Linux's own virtio-net driver
 * and TCP/IP instead of libos's, so the same application can be compared on both (and users can
 * A/B their own). The image carries the kernel modules virtio-net needs, taken from the guest
 * kernel's {@code /lib/modules/VERSION/} with {@code modules.dep}'s dependencies, uncompressed,
 * under {@value #GUEST_DIRECTORY} with a {@value #ORDER_FILE} file naming them in load order;
 * libos-guest's network boot step loads them and configures {@code eth0} instead of starting libos's stack.
 */
public final class LinuxNetworkImage {
    /** The image goal's setting. */
    public static final String SETTING = "libos.network";
    /** The default: libos's drivers and stack. */
    public static final String LIBOS = "libos";
    /** Linux's driver and stack. */
    public static final String LINUX = "linux";
    /** Where the modules go in the initramfs (in the libos segment). */
    public static final String GUEST_DIRECTORY = "libos/linux-network";
    /** The file under {@value #GUEST_DIRECTORY} that names the modules in load order, one a line. */
    public static final String ORDER_FILE = "modules.order";
    /** What virtio-net over virtio-pci needs; their dependencies come from modules.dep. */
    public static final List<String> ROOT_MODULES = List.of("virtio_pci", "virtio_net");
    /** Where a Debian kernel's module directories are. */
    public static final Path MODULES_ROOT = Path.of("/lib/modules");
    /** Bound on one module's uncompressed size (virtio_net is about 150 KiB). */
    static final int MAX_MODULE_BYTES = 64 << 20;

    private final Path modulesDirectory;

    private LinuxNetworkImage(Path modulesDirectory) {
        this.modulesDirectory = modulesDirectory;
    }

    /**
     * The variant a setting's value asks for.
     *
     * @param value            the setting, null or blank for the default
     * @param kernel           the guest kernel ({@code vmlinuz-VERSION})
     * @param modulesRoot      where the kernels' module directories are ({@code /lib/modules})
     * @return null for libos's network, else the Linux variant
     * @throws IllegalArgumentException naming {@value #SETTING} for an unknown value, or a kernel
     *                                  whose modules cannot be found
     */
    public static LinuxNetworkImage of(String value, Path kernel, Path modulesRoot) {
        if (!wantsLinux(value)) {
            return null;
        }
        String file = kernel.getFileName().toString();
        if (!file.startsWith("vmlinuz-") || file.length() == "vmlinuz-".length()) {
            throw new IllegalArgumentException(SETTING + "=" + LINUX + " needs the kernel's modules, found by its version in the file name"
                    + " vmlinuz-VERSION; the kernel is '" + kernel + "'");
        }
        Path directory = modulesRoot.resolve(file.substring("vmlinuz-".length()));
        if (!Files.isRegularFile(directory.resolve("modules.dep"))) {
            throw new IllegalArgumentException(SETTING + "=" + LINUX + " needs the kernel's modules, but "
                    + directory.resolve("modules.dep") + " does not exist (install the kernel's package with its modules)");
        }
        return new LinuxNetworkImage(directory);
    }

    /**
     * Whether a setting's value asks for Linux's network.
     *
     * @throws IllegalArgumentException naming {@value #SETTING} for a value other than libos or linux
     */
    public static boolean wantsLinux(String value) {
        String setting = value == null || value.isBlank() ? LIBOS : value.trim();
        if (!setting.equals(LIBOS) && !setting.equals(LINUX)) {
            throw new IllegalArgumentException(SETTING + " must be " + LIBOS + " (libos's drivers and stack, the default) or "
                    + LINUX + " (the kernel's virtio-net driver and TCP/IP) (got '" + value + "')");
        }
        return setting.equals(LINUX);
    }

    /** The JVM option that tells the guest's boot to bring Linux's network up. */
    public String jvmOption() {
        return "-D" + SETTING + "=" + LINUX;
    }

    /** The initramfs entries: the directory, each module uncompressed, the order file. */
    public List<CpioEntry> entries() throws IOException {
        try {
            return moduleEntries(modulesDirectory, ROOT_MODULES, GUEST_DIRECTORY);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(SETTING + "=" + LINUX + ": " + e.getMessage(), e);
        }
    }

    /**
     * The initramfs entries that carry {@code rootModules} and everything they need (from the
     * kernel's {@code modules.dep} in {@code modulesDirectory}) uncompressed under
     * {@code guestDirectory}, with the {@value #ORDER_FILE} file naming them in load order (what
     * libos-guest's {@code KernelModuleLoader} reads).
     *
     * @throws IllegalArgumentException naming the directory and a module modules.dep does not list
     */
    static List<CpioEntry> moduleEntries(Path modulesDirectory, List<String> rootModules, String guestDirectory) throws IOException {
        KernelModules modules = KernelModules.parse(Files.readString(modulesDirectory.resolve("modules.dep"), StandardCharsets.UTF_8),
                modulesDirectory.resolve("modules.dep").toString());
        List<String> paths;
        try {
            paths = modules.loadOrder(rootModules);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(modulesDirectory + ": " + e.getMessage(), e);
        }
        List<CpioEntry> entries = new ArrayList<>();
        entries.add(CpioEntry.directory(guestDirectory));
        StringBuilder order = new StringBuilder();
        for (String path : paths) {
            String name = KernelModules.nameOf(path) + ".ko";
            entries.add(CpioEntry.file(guestDirectory + "/" + name, CpioEntry.Content.of(uncompressed(modulesDirectory.resolve(path))), false));
            order.append(name).append('\n');
        }
        entries.add(CpioEntry.file(guestDirectory + "/" + ORDER_FILE,
                CpioEntry.Content.of(order.toString().getBytes(StandardCharsets.US_ASCII)), false));
        return entries;
    }

    /** A module file's bytes, decompressed when its name says it is compressed (the kernel's own modules.dep names). */
    static byte[] uncompressed(Path file) throws IOException {
        String name = file.getFileName().toString();
        byte[] raw = Files.readAllBytes(file);
        if (name.endsWith(".ko")) {
            return raw;
        }
        try (InputStream in = decompressing(name, new ByteArrayInputStream(raw))) {
            byte[] bytes = in.readNBytes(MAX_MODULE_BYTES + 1);
            if (bytes.length > MAX_MODULE_BYTES) {
                throw new IOException(file + " uncompresses to more than " + MAX_MODULE_BYTES + " bytes");
            }
            return bytes;
        } catch (IOException | RuntimeException e) {
            throw new IOException(SETTING + "=" + LINUX + ": cannot uncompress " + file + ": " + e.getMessage(), e);
        }
    }

    private static InputStream decompressing(String name, InputStream in) throws IOException {
        if (name.endsWith(".ko.gz")) {
            return new GZIPInputStream(in);
        }
        if (name.endsWith(".ko.xz")) {
            return new org.tukaani.xz.XZInputStream(in);
        }
        if (name.endsWith(".ko.zst")) {
            return new io.airlift.compress.zstd.ZstdInputStream(in);
        }
        throw new IOException("not a module file name: " + name);
    }
}
