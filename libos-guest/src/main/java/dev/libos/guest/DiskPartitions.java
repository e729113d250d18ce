package dev.libos.guest;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the image's volumes on partitions of one disk, as a boot disk made by the image goal
 * carries them (cloud VMs get one disk): a disk whose GPT ({@link GptPartitions}) has a partition
 * named {@value GuestVolumes#FILES_ID} of type {@link GptPartitions#FILES_TYPE}, or
 * {@value GuestVolumes#STATE_ID} of type {@link GptPartitions#STATE_TYPE}, is replaced by those
 * partitions ({@link PartitionBlockDevice}), each named like the separate drive it stands for,
 * so {@link VolumeMounter} mounts it the same way. Other disks (today's separate
 * {@code libos-files}/{@code libos-state} drives, the application's disks) pass unchanged; a
 * disk whose table is rejected is reported and left to the application.
 */
public final class DiskPartitions {
    private DiskPartitions() {
    }

    /** {@code disks} with each boot disk replaced by its libos partitions, in order. */
    public static List<Disk> expand(List<Disk> disks, PrintStream console) throws IOException {
        List<Disk> out = new ArrayList<>();
        for (Disk disk : disks) {
            if (disk.id().equals(GuestVolumes.FILES_ID) || disk.id().equals(GuestVolumes.STATE_ID)) {
                out.add(disk);
                continue;
            }
            GptPartitions.Outcome outcome = GptPartitions.read(disk.device());
            List<Disk> volumes = new ArrayList<>();
            switch (outcome) {
                case GptPartitions.Absent absent -> { }
                case GptPartitions.Rejected rejected -> console.println("libos: storage: " + label(disk)
                        + ": partition table rejected (" + rejected.reason() + "), its partitions are not used");
                case GptPartitions.Found found -> {
                    if (found.fromBackup()) {
                        console.println("libos: storage: " + label(disk) + ": primary GPT damaged (" + found.primaryProblem()
                                + "), using the backup table");
                    }
                    for (GptPartitions.Partition p : found.partitions()) {
                        if (isVolume(p, GuestVolumes.FILES_ID, GptPartitions.FILES_TYPE)
                                || isVolume(p, GuestVolumes.STATE_ID, GptPartitions.STATE_TYPE)) {
                            String name = disk.device().name() + "p" + p.index();
                            volumes.add(new Disk(p.name(), new PartitionBlockDevice(disk.device(), name, p.firstLba(), p.blocks()),
                                    disk.origin() + ", partition " + p.index() + " at block " + p.firstLba()));
                        }
                    }
                }
            }
            if (volumes.isEmpty()) {
                out.add(disk);
            } else {
                console.println("libos: storage: " + label(disk) + ": boot disk, volumes on partitions "
                        + String.join(", ", volumes.stream().map(Disk::id).toList()));
                out.addAll(volumes);
            }
        }
        return out;
    }

    private static boolean isVolume(GptPartitions.Partition p, String name, byte[] type) {
        return p.name().equals(name) && p.hasType(type);
    }

    private static String label(Disk disk) {
        return (disk.id().isEmpty() ? disk.device().name() : disk.id()) + " (" + disk.origin() + ")";
    }
}
