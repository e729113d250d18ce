package dev.libos.hosted;

import dev.libos.net.gateway.Forward;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Enumeration;
import java.util.List;
import java.util.Properties;
import java.util.jar.Manifest;

/** The hosted network's settings, validated once at boot (the error names the setting). */
final class HostedSettings {
    /** {@code HOSTPORT:GUESTPORT,...}, as for the run goal. */
    static final String FORWARDS = "libos.forwards";
    /** The jar manifest's default for {@link #FORWARDS}. */
    static final String MANIFEST_FORWARDS = "Libos-Forwards";

    private HostedSettings() {
    }

    /**
     * The forwards: {@code libos.forwards} when set (empty for none), else {@code manifestDefault}.
     *
     * @throws IllegalArgumentException naming the setting and the bad entry
     */
    static List<Forward> forwards(Properties properties, String manifestDefault) {
        String text = properties.getProperty(FORWARDS);
        String setting = FORWARDS;
        if (text == null) {
            text = manifestDefault;
            setting = "manifest attribute " + MANIFEST_FORWARDS;
        }
        if (text == null || text.isBlank()) {
            return List.of();
        }
        try {
            return Forward.parseList(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(setting + " must be HOSTPORT:GUESTPORT,...: " + e.getMessage(), e);
        }
    }

    /** The first {@value #MANIFEST_FORWARDS} attribute of a manifest on the class path, or null. */
    static String manifestForwards() throws IOException {
        Enumeration<URL> manifests = ClassLoader.getSystemClassLoader().getResources("META-INF/MANIFEST.MF");
        while (manifests.hasMoreElements()) {
            try (InputStream in = manifests.nextElement().openStream()) {
                String value = new Manifest(in).getMainAttributes().getValue(MANIFEST_FORWARDS);
                if (value != null) {
                    return value;
                }
            }
        }
        return null;
    }
}
