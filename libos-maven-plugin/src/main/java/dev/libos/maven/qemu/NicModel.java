package dev.libos.maven.qemu;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The network card QEMU gives the guest (run goal's {@code nic}, {@code -Dlibos.nic}). */
public enum NicModel {
    /**
     * A modern-only virtio-net (1af4:1041, what libos's virtio driver claims; the transitional
     * 1af4:1000 would carry legacy I/O ports libos does not drive).
     */
    VIRTIO("virtio", "virtio-net-pci,netdev=%s,disable-legacy=on"),
    /** VMware's vmxnet3 (15ad:07b0), driven by libos's hw-vmxnet3. */
    VMXNET3("vmxnet3", "vmxnet3,netdev=%s");

    /** The default: virtio. */
    public static final NicModel DEFAULT = VIRTIO;
    private final String settingValue;
    private final String deviceFormat;

    NicModel(String settingValue, String deviceFormat) {
        this.settingValue = settingValue;
        this.deviceFormat = deviceFormat;
    }

    /** The name used in the setting ({@code virtio}, {@code vmxnet3}). */
    public String settingValue() {
        return settingValue;
    }

    /** QEMU's {@code -device} argument for this card on backend {@code netdevId}. */
    public String deviceArgument(String netdevId) {
        return String.format(deviceFormat, netdevId);
    }

    /**
     * Parses a setting value, ignoring case and surrounding blanks; blank or null is the default.
     *
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static NicModel parse(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT;
        }
        String wanted = value.trim().toLowerCase(Locale.ROOT);
        for (NicModel model : values()) {
            if (model.settingValue.equals(wanted)) {
                return model;
            }
        }
        throw new IllegalArgumentException("nic must be one of " + accepted() + " (got '" + value + "')");
    }

    /** The accepted setting values, comma-separated. */
    public static String accepted() {
        return Arrays.stream(values()).map(NicModel::settingValue).collect(Collectors.joining(", "));
    }
}
