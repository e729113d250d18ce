package dev.libos.guest;

import dev.libos.api.LibOS;
import dev.libos.api.device.BlockDevice;
import dev.libos.api.spi.BootHook;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Configuration from the cloud, as cloud images take it: a NoCloud volume (a FAT file system
 * labelled {@value #LABEL} among the disks the storage hook left unmounted; {@link FatVolume})
 * read after the storage hook and before the network hook ({@link #ORDER}):
 * <ul>
 *   <li>{@code meta-data}: its {@code instance-id} is printed;</li>
 *   <li>{@code user-data} starting with {@value CloudConfig#HEADER}: system properties and
 *       environment variables ({@link CloudConfig}); other user-data is left alone;</li>
 *   <li>{@code network-config} (version 2): a fixed address, gateway, name servers and MTU
 *       as {@code libos.net.*} settings ({@link CloudNetworkConfig}), for the network hook.</li>
 * </ul>
 * What the volume sets replaces the image's own settings of the same name (the deployer's word
 * is the last). A malformed file stops the boot with the file, line or key named.
 */
public final class NoCloudBootHook implements BootHook {
    /** After storage (0), before the network (100). */
    static final int ORDER = 50;
    /** The NoCloud volume label. */
    public static final String LABEL = "CIDATA";
    /** Largest file read from the volume. */
    static final int MAX_FILE_BYTES = 1 << 20;

    @Override
    public String name() {
        return "cloud-config";
    }

    @Override
    public int order() {
        return ORDER;
    }

    @Override
    public void run(LibOS os, Environment environment, PrintStream console) throws Exception {
        Optional<GuestStorage> storage = GuestStorage.current();
        if (storage.isEmpty()) {
            return;
        }
        for (Map.Entry<String, BlockDevice> disk : storage.get().disks().entrySet()) {
            FatVolume volume;
            try {
                volume = FatVolume.open(disk.getValue());
                if (volume == null || !volume.label().equalsIgnoreCase(LABEL)) {
                    continue;
                }
            } catch (IOException e) {
                console.println("libos: cloud-config: disk " + disk.getKey() + " is not a readable FAT volume (" + e.getMessage() + ")");
                continue;
            }
            apply(disk.getKey(), volume.rootFiles(MAX_FILE_BYTES), console);
            return;
        }
    }

    /** Applies the NoCloud files found on disk {@code id}. */
    static void apply(String id, Map<String, byte[]> files, PrintStream console) throws ReflectiveOperationException {
        List<String> done = new ArrayList<>();
        String metaData = text(files, "meta-data");
        if (metaData != null) {
            Map<String, Object> meta = ConfigYaml.parse("meta-data", metaData);
            if (meta.get("instance-id") instanceof String instance) {
                done.add("instance-id " + instance);
            }
        }
        String userData = text(files, "user-data");
        if (userData != null) {
            Optional<CloudConfig> config = CloudConfig.parse(userData);
            if (config.isPresent()) {
                done.add(config.get().apply());
            } else if (!userData.isBlank()) {
                done.add("user-data left alone (not " + CloudConfig.HEADER + ")");
            }
        }
        String networkConfig = text(files, "network-config");
        if (networkConfig != null) {
            Map<String, String> settings = CloudNetworkConfig.settings(networkConfig);
            settings.forEach(System::setProperty);
            done.add(settings.isEmpty() ? "network-config: DHCP" : "network-config: " + settings);
        }
        console.println("libos: cloud-config: NoCloud volume on disk " + id + ": " + String.join("; ", done));
    }

    private static String text(Map<String, byte[]> files, String name) {
        byte[] bytes = files.get(name);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
