package dev.libos.maven.image;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The image goal's guest network settings ({@code libos.net.*}), checked for their shape at build
 * time and carried to the guest as {@code -D} JVM options on the kernel command line, where
 * libos-guest's network boot hook reads them (and checks them again, fully: subnet, gateway on it).
 */
public final class NetworkOptions {
    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])";
    private static final String IPV4 = OCTET + "(\\." + OCTET + "){3}";
    private static final Pattern ADDRESS = Pattern.compile(IPV4 + "/([1-9]|[12][0-9]|3[0-2])");
    private static final Pattern HOST = Pattern.compile(IPV4);
    private static final Pattern HOSTS = Pattern.compile(IPV4 + "(," + IPV4 + ")*");
    private static final Pattern MTU = Pattern.compile("[0-9]{2,5}");

    private NetworkOptions() {
    }

    /**
     * The {@code -D} options for the settings that are set (null or blank: unset).
     *
     * @throws IllegalArgumentException listing each malformed setting by name with its value
     */
    public static List<String> jvmOptions(String address, String gateway, String dns, String mtu) {
        Map<String, String> set = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        check(set, errors, "libos.net.address", address, ADDRESS, "an address with prefix like 10.0.2.15/24");
        check(set, errors, "libos.net.gateway", gateway, HOST, "an IPv4 address like 10.0.2.2");
        check(set, errors, "libos.net.dns", dns, HOSTS, "IPv4 addresses separated by commas, like 10.0.2.3");
        check(set, errors, "libos.net.mtu", mtu, MTU, "a number 68-65535");
        if (set.containsKey("libos.net.mtu") && (Integer.parseInt(set.get("libos.net.mtu")) < 68
                || Integer.parseInt(set.get("libos.net.mtu")) > 65535)) {
            errors.add("libos.net.mtu must be a number 68-65535 (got '" + mtu + "')");
        }
        if (set.containsKey("libos.net.gateway") && !set.containsKey("libos.net.address")) {
            errors.add("libos.net.gateway needs libos.net.address (with DHCP the lease names the router)");
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("invalid libos image network configuration:\n  " + String.join("\n  ", errors));
        }
        List<String> options = new ArrayList<>();
        set.forEach((name, value) -> options.add("-D" + name + "=" + value));
        return options;
    }

    private static void check(Map<String, String> set, List<String> errors, String name, String value, Pattern shape,
            String expected) {
        if (value == null || value.isBlank()) {
            return;
        }
        String trimmed = value.trim().replace(" ", "");
        if (shape.matcher(trimmed).matches()) {
            set.put(name, trimmed);
        } else {
            errors.add(name + " must be " + expected + " (got '" + value + "')");
        }
    }
}
