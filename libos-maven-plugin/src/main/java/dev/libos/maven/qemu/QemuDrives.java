package dev.libos.maven.qemu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The disks of a run, each a raw file attached as a modern-only virtio-blk PCI function
 * (1af4:1042, {@code disable-legacy=on}, the id libos's driver claims) and named by its
 * {@code serial=}, which the guest reads with VIRTIO_BLK_T_GET_ID: the files volume
 * ({@value #FILES_ID}, read-only), the state volume ({@value #STATE_ID}) and any extra disks
 * ({@code libos.disks=NAME=FILE,...}) that the guest leaves to the application. The two ids are
 * libos-guest's {@code GuestVolumes} constants, repeated here because the plugin does not depend
 * on that module.
 */
public final class QemuDrives {
    /** Serial of the image's files volume. */
    public static final String FILES_ID = "libos-files";
    /** Serial of the state volume. */
    public static final String STATE_ID = "libos-state";
    /** The class path entry of the module that mounts the volumes in the guest. */
    static final String GUEST_STORAGE_JAR = "/libos/libos-guest-";
    /** A virtio-blk id holds 20 bytes (VIRTIO 1.2 section 5.2.6); letters, digits, '.', '_', '-'. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,20}");

    /**
     * One disk.
     *
     * @param id       its serial, the name the guest knows it by
     * @param file     the disk file
     * @param readOnly attached {@code readonly=on}: the guest sees VIRTIO_BLK_F_RO
     * @param format   QEMU's name of the file's format ({@code raw}, {@code qcow2})
     */
    public record Drive(String id, Path file, boolean readOnly, String format) {
        /** A raw file. */
        public Drive(String id, Path file, boolean readOnly) {
            this(id, file, readOnly, "raw");
        }
    }

    private QemuDrives() {
    }

    /** QEMU arguments attaching {@code drives}, in order (each gets the next free PCI slot). */
    public static List<String> arguments(List<Drive> drives) {
        List<String> arguments = new ArrayList<>();
        for (int i = 0; i < drives.size(); i++) {
            Drive drive = drives.get(i);
            String backend = "disk" + i;
            arguments.addAll(List.of(
                    "-drive", "file=" + escape(drive.file().toAbsolutePath().toString()) + ",if=none,format=" + drive.format() + ",readonly="
                            + (drive.readOnly() ? "on" : "off") + ",id=" + backend,
                    "-device", "virtio-blk-pci,drive=" + backend + ",serial=" + drive.id() + ",disable-legacy=on"));
        }
        return arguments;
    }

    /** QEMU's option syntax: a comma inside a value is written twice. */
    static String escape(String value) {
        return value.replace(",", ",,");
    }

    /** Whether a guest with this kernel command line mounts the volumes (libos-guest is on its class path). */
    public static boolean guestMountsVolumes(String commandLine) {
        return commandLine.contains(GUEST_STORAGE_JAR);
    }

    /**
     * Parses {@code libos.disks}: {@code NAME=FILE,...} (blank or null: none), each FILE an
     * existing raw file whose size is a multiple of 512, attached writable.
     *
     * @throws IllegalArgumentException naming the setting and the bad entry
     */
    public static List<Drive> parseDisks(String spec) {
        List<Drive> drives = new ArrayList<>();
        if (spec == null || spec.isBlank()) {
            return drives;
        }
        Set<String> names = new HashSet<>();
        for (String item : spec.split(",")) {
            String entry = item.trim();
            int equals = entry.indexOf('=');
            String name = equals < 0 ? "" : entry.substring(0, equals);
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("disks: expected NAME=FILE with NAME of 1-20 letters, digits, '.', '_' or '-', got '"
                        + entry + "'");
            }
            if (name.equals(FILES_ID) || name.equals(STATE_ID)) {
                throw new IllegalArgumentException("disks: the name " + name + " is the image's own volume, choose another in '" + entry + "'");
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException("disks: the name " + name + " is given twice");
            }
            Path file = Path.of(entry.substring(equals + 1));
            long size;
            try {
                size = Files.isRegularFile(file) ? Files.size(file) : -1;
            } catch (IOException e) {
                size = -1;
            }
            if (size <= 0 || size % 512 != 0) {
                throw new IllegalArgumentException("disks: " + file + " (in '" + entry + "') must be an existing raw file whose size is a"
                        + " positive multiple of 512 bytes");
            }
            drives.add(new Drive(name, file, false));
        }
        return drives;
    }
}
