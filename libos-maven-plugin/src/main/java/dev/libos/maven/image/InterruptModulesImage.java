package dev.libos.maven.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The kernel modules that deliver a PCI card's interrupts to libos's drivers in user space:
 * {@code uio_pci_generic} and what it needs ({@code uio}), carried by the default
 * ({@code libos.network=libos}) image under {@value #GUEST_DIRECTORY} as
 * {@link LinuxNetworkImage} carries virtio-net's (the same modules.dep walk and order file).
 * libos-guest loads them before it probes the network cards; the virtio-net driver then binds
 * its card to uio_pci_generic so an idle CPU sleeps until a frame's interrupt instead of polling.
 */
public final class InterruptModulesImage {
    /** Where the modules go in the initramfs (libos-guest's {@code GuestNics.INTERRUPT_MODULES}). */
    public static final String GUEST_DIRECTORY = "libos/interrupt-modules";
    /** The module that hands INTx to user space; its dependencies come from modules.dep. */
    public static final List<String> ROOT_MODULES = List.of("uio_pci_generic");

    private InterruptModulesImage() {
    }

    /**
     * The entries for {@code kernel}'s modules under {@code modulesRoot}.
     *
     * @return the entries, or an empty list with {@code why} given a reason when the kernel's
     *         modules (or uio_pci_generic among them) are not installed: the cards are then polled
     */
    public static List<CpioEntry> entries(Path kernel, Path modulesRoot, StringBuilder why) throws IOException {
        String file = kernel.getFileName().toString();
        if (!file.startsWith("vmlinuz-") || file.length() == "vmlinuz-".length()) {
            why.append("the kernel file '").append(kernel).append("' is not named vmlinuz-VERSION, so its modules cannot be found");
            return List.of();
        }
        Path directory = modulesRoot.resolve(file.substring("vmlinuz-".length()));
        if (!Files.isRegularFile(directory.resolve("modules.dep"))) {
            why.append(directory.resolve("modules.dep")).append(" does not exist");
            return List.of();
        }
        try {
            return LinuxNetworkImage.moduleEntries(directory, ROOT_MODULES, GUEST_DIRECTORY);
        } catch (IllegalArgumentException e) {
            why.append(e.getMessage());
            return List.of();
        }
    }
}
