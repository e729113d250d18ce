package dev.libos.guest;

import dev.libos.api.LibOS;
import dev.libos.api.net.SystemNetwork;
import dev.libos.api.spi.BootHook;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Configuration from a cloud metadata service, off unless {@value #SETTING} names one
 * ({@link MetadataService}: {@code ec2}, {@code gce} or {@code openstack}); the service is at
 * {@value #URL_SETTING} (default {@value #DEFAULT_URL}). Runs once the JVM's sockets are libos's
 * ({@link #ORDER}), fetches the instance's user-data and applies {@value CloudConfig#HEADER}
 * user-data as the NoCloud volume's ({@link CloudConfig}). No user-data (HTTP 404) or other
 * user-data is said and left alone; a service that does not answer in the bounded time or
 * attempts, a body over the limit, or malformed user-data stops the boot naming the setting,
 * the URL and the line.
 */
public final class MetadataBootHook implements BootHook {
    /** After the network (100) and the JVM-wide socket adapters that carry the requests (1000). */
    static final int ORDER = 1100;
    static final String SETTING = "libos.metadata";
    static final String URL_SETTING = "libos.metadata.url";
    static final String DEFAULT_URL = "http://169.254.169.254";
    static final String PREFIX = "libos: metadata: ";
    /** libos-jvm-net's boot hook, which routes the JDK's sockets to libos's network. */
    static final String JVM_NET_HOOK = "dev.libos.jvm.net.JvmNetBootHook";

    @Override
    public String name() {
        return "metadata";
    }

    @Override
    public int order() {
        return ORDER;
    }

    @Override
    public void run(LibOS os, Environment environment, PrintStream console) throws Exception {
        Optional<MetadataService> service = service(System.getProperties());
        if (service.isPresent()) {
            requireJvmSocketsOnLibos(SystemNetwork.current().isPresent(), classPresent(JVM_NET_HOOK));
            apply(service.get(), baseUrl(System.getProperties()), MetadataHttp.Limits.BOOT, console);
        }
    }

    /**
     * The requests use the JDK's sockets, which reach libos's network only through libos-jvm-net
     * (its hook, order 1000, makes them libos's); without it, under libos's own network, they
     * would be Linux's, which reach no network, and the boot would wait out every attempt.
     */
    static void requireJvmSocketsOnLibos(boolean libosNetworkInstalled, boolean jvmNetPresent) {
        if (libosNetworkInstalled && !jvmNetPresent) {
            throw new IllegalStateException(SETTING + " needs libos-jvm-net in the image (libos-runtime brings it): "
                    + "without it the JDK's sockets are Linux's, which reach no network in a libos guest");
        }
    }

    private static boolean classPresent(String name) {
        try {
            Class.forName(name, false, MetadataBootHook.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** The service {@value #SETTING} names; empty when unset, empty or {@code off}. */
    static Optional<MetadataService> service(Properties settings) {
        String value = settings.getProperty(SETTING, "").strip().toLowerCase(Locale.ROOT);
        if (value.isEmpty() || value.equals("off")) {
            return Optional.empty();
        }
        return Optional.of(Arrays.stream(MetadataService.values()).filter(s -> s.settingValue().equals(value)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(SETTING + "=" + settings.getProperty(SETTING)
                        + " is not a metadata service (" + Arrays.stream(MetadataService.values()).map(MetadataService::settingValue)
                                .collect(Collectors.joining(", ")) + " or off)")));
    }

    /** The service's base URL from {@value #URL_SETTING}: http or https with a host, no path. */
    static URI baseUrl(Properties settings) {
        String value = settings.getProperty(URL_SETTING, DEFAULT_URL).strip();
        try {
            URI uri = new URI(value);
            boolean web = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
            if (web && uri.getHost() != null && (uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))
                    && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new IllegalArgumentException(URL_SETTING + "=" + value + " is not an http(s) URL of a host (such as " + DEFAULT_URL + ")");
    }

    /**
     * Fetches {@code service}'s user-data from {@code base} and applies it.
     *
     * @throws IOException naming the setting and URL when the service fails
     * @throws IllegalArgumentException naming the URL and line of malformed user-data
     */
    static void apply(MetadataService service, URI base, MetadataHttp.Limits limits, PrintStream console)
            throws IOException, ReflectiveOperationException {
        String source = SETTING + "=" + service.settingValue() + " at " + base;
        Optional<byte[]> userData;
        try {
            userData = service.userData(new MetadataRequests(limits), base);
        } catch (IOException e) {
            throw new IOException(source + ": " + e.getMessage(), e);
        }
        if (userData.isEmpty()) {
            console.println(PREFIX + source + ": no user-data (HTTP 404)");
            return;
        }
        String text = new String(userData.get(), StandardCharsets.UTF_8);
        Optional<CloudConfig> config;
        try {
            config = CloudConfig.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
        if (config.isPresent()) {
            console.println(PREFIX + source + ": " + config.get().apply());
        } else {
            console.println(PREFIX + source + ": user-data left alone (not " + CloudConfig.HEADER + ")");
        }
    }
}
