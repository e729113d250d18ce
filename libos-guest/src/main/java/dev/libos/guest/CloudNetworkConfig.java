package dev.libos.guest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The part of a NoCloud {@code network-config} (cloud-init's "network config version 2", the
 * netplan format) that libos applies: one ethernet with a fixed IPv4 address, its gateway, name
 * servers and MTU, for when DHCP is not wanted. The result is the {@code libos.net.*} settings
 * ({@link NetworkSettings}), which the network hook then checks and applies as if they had been on
 * the command line.
 * <pre>
 * version: 2             # optionally all under a top-level "network:"
 * ethernets:
 *   eth0:                # any id; libos drives one NIC
 *     dhcp4: false
 *     addresses: [10.0.2.15/24]
 *     gateway4: 10.0.2.2
 *     nameservers:
 *       addresses: [10.0.2.3]
 *     mtu: 1400
 * </pre>
 * {@code match} and {@code set-name} are accepted and ignored (there is one NIC); any other key
 * is an error naming it, as is version 1, more than one ethernet or more than one address.
 */
final class CloudNetworkConfig {
    private static final Set<String> KEYS = Set.of("dhcp4", "dhcp6", "addresses", "gateway4", "nameservers", "mtu", "match",
            "set-name");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3}\\.){3}\\d{1,3}");

    private CloudNetworkConfig() {
    }

    /**
     * The {@code libos.net.*} settings {@code text} asks for (empty: DHCP).
     *
     * @throws IllegalArgumentException naming the line or key of the first error
     */
    static Map<String, String> settings(String text) {
        Map<String, Object> top = ConfigYaml.parse("network-config", text);
        if (top.size() == 1 && top.get("network") instanceof Map<?, ?> inner) {
            top = cast(inner);
        }
        Object version = top.get("version");
        if (!"2".equals(version)) {
            throw new IllegalArgumentException("network-config: version must be 2 (got '" + version + "'); libos reads version 2's ethernets");
        }
        for (String key : top.keySet()) {
            if (!key.equals("version") && !key.equals("ethernets")) {
                throw new IllegalArgumentException("network-config: '" + key + "' is not read by libos (only version and ethernets)");
            }
        }
        Map<String, String> settings = new LinkedHashMap<>();
        Object ethernets = top.get("ethernets");
        if (ethernets == null || "".equals(ethernets)) {
            return settings;
        }
        if (!(ethernets instanceof Map<?, ?> all) || all.size() != 1) {
            throw new IllegalArgumentException("network-config: ethernets must hold exactly one interface (libos drives one NIC)");
        }
        Map.Entry<?, ?> only = all.entrySet().iterator().next();
        String id = (String) only.getKey();
        if (!(only.getValue() instanceof Map<?, ?> raw)) {
            throw new IllegalArgumentException("network-config: ethernets." + id + " must be a mapping");
        }
        Map<String, Object> nic = cast(raw);
        for (String key : nic.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("network-config: ethernets." + id + "." + key + " is not read by libos (known: "
                        + String.join(", ", KEYS.stream().sorted().toList()) + ")");
            }
        }
        boolean dhcp = bool(nic, id, "dhcp4");
        List<String> addresses = list(nic.get("addresses"), id, "addresses");
        if (addresses.size() > 1) {
            throw new IllegalArgumentException("network-config: ethernets." + id + ".addresses: libos takes one address, got " + addresses);
        }
        if (dhcp && !addresses.isEmpty()) {
            throw new IllegalArgumentException("network-config: ethernets." + id + ": dhcp4 is true and addresses are given; choose one");
        }
        if (!addresses.isEmpty()) {
            String address = addresses.get(0);
            int slash = address.indexOf('/');
            if (slash < 0 || !IPV4.matcher(address.substring(0, slash)).matches()) {
                throw new IllegalArgumentException("network-config: ethernets." + id + ".addresses: '" + address
                        + "' is not an IPv4 address with a prefix (10.0.2.15/24)");
            }
            settings.put(NetworkSettings.ADDRESS, address);
        }
        if (nic.get("gateway4") != null) {
            String gateway = scalar(nic.get("gateway4"), id, "gateway4");
            if (!IPV4.matcher(gateway).matches()) {
                throw new IllegalArgumentException("network-config: ethernets." + id + ".gateway4: '" + gateway + "' is not an IPv4 address");
            }
            settings.put(NetworkSettings.GATEWAY, gateway);
        }
        if (nic.get("nameservers") != null) {
            if (!(nic.get("nameservers") instanceof Map<?, ?> ns)) {
                throw new IllegalArgumentException("network-config: ethernets." + id + ".nameservers must be a mapping");
            }
            for (Object key : ns.keySet()) {
                if (!key.equals("addresses") && !key.equals("search")) {
                    throw new IllegalArgumentException("network-config: ethernets." + id + ".nameservers." + key + " is not read by libos");
                }
            }
            List<String> servers = list(ns.get("addresses"), id, "nameservers.addresses");
            if (!servers.isEmpty()) {
                settings.put(NetworkSettings.DNS, String.join(",", servers));
            }
        }
        if (nic.get("mtu") != null) {
            settings.put(NetworkSettings.MTU, scalar(nic.get("mtu"), id, "mtu"));
        }
        return settings;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    private static boolean bool(Map<String, Object> nic, String id, String key) {
        Object value = nic.get(key);
        if (value == null) {
            return false;
        }
        return switch (scalar(value, id, key)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException("network-config: ethernets." + id + "." + key + " must be true or false");
        };
    }

    private static String scalar(Object value, String id, String key) {
        if (!(value instanceof String s) || s.isEmpty()) {
            throw new IllegalArgumentException("network-config: ethernets." + id + "." + key + " must be a single value");
        }
        return s;
    }

    private static List<String> list(Object value, String id, String key) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> items) {
            return items.stream().map(String.class::cast).toList();
        }
        throw new IllegalArgumentException("network-config: ethernets." + id + "." + key + " must be a list ([a, b] or '- a' lines)");
    }
}
