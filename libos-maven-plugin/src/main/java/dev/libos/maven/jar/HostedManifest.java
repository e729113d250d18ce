package dev.libos.maven.jar;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The manifest attributes of a runnable libos jar: {@code dev.libos.core.Boot} as the JVM's main
 * class, the application's main class and default forwards for it, and the JVM options libos
 * needs, which {@code java -jar} takes from the manifest:
 * <ul>
 *   <li>{@code Add-Opens: java.base/java.lang}: the scheduler builds virtual threads on its own carriers;</li>
 *   <li>{@code Add-Exports: java.base/sun.nio.ch}: the hosted gateway and libos-jvm-net reach the host's own
 *       {@code SelectorProvider};</li>
 *   <li>{@code Enable-Native-Access: ALL-UNNAMED}: the FFM calls of the device back-ends.</li>
 * </ul>
 */
public final class HostedManifest {
    /** The JVM's main class of every libos jar. */
    public static final String BOOT_CLASS = "dev.libos.core.Boot";
    /** Where Boot finds the application's main class (else {@code -Dlibos.main}). */
    public static final String MAIN_ATTRIBUTE = "Libos-Main";
    /** Where libos-hosted finds the default forwards (else {@code -Dlibos.forwards}). */
    public static final String FORWARDS_ATTRIBUTE = "Libos-Forwards";

    /** HOSTPORT:GUESTPORT,... as libos-hosted reads it (host port 0: any free port). */
    private static final Pattern FORWARD = Pattern.compile("\\s*(\\d{1,5})\\s*:\\s*(\\d{1,5})\\s*");

    private HostedManifest() {
    }

    /**
     * The main attributes, in order.
     *
     * @param mainClass the application's main class
     * @param forwards  {@code HOSTPORT:GUESTPORT,...} for {@code Libos-Forwards}, or null/blank for none
     * @param extra     further attributes (they may override the defaults, not {@code Main-Class})
     * @throws IllegalArgumentException naming the setting when {@code forwards} or an extra attribute is malformed
     */
    public static Map<String, String> attributes(String mainClass, String forwards, Map<String, String> extra) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("Created-By", "libos-maven-plugin");
        attributes.put("Main-Class", BOOT_CLASS);
        attributes.put(MAIN_ATTRIBUTE, mainClass);
        if (forwards != null && !forwards.isBlank()) {
            attributes.put(FORWARDS_ATTRIBUTE, checkForwards(forwards));
        }
        attributes.put("Add-Opens", "java.base/java.lang");
        attributes.put("Add-Exports", "java.base/sun.nio.ch");
        attributes.put("Enable-Native-Access", "ALL-UNNAMED");
        if (extra != null) {
            extra.forEach((name, value) -> {
                if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,69}") || name.equalsIgnoreCase("Main-Class")
                        || value == null || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
                    throw new IllegalArgumentException("manifestEntries: '" + name + "' = '" + value
                            + "' is not a manifest attribute this goal may set (names: letters, digits, '-', '_'; one-line values; not Main-Class)");
                }
                attributes.put(name, value);
            });
        }
        return attributes;
    }

    /** {@code forwards} normalised, or an error naming {@code hostedForwards}. */
    static String checkForwards(String forwards) {
        StringBuilder normalised = new StringBuilder();
        for (String item : forwards.split(",", -1)) {
            var m = FORWARD.matcher(item);
            if (!m.matches() || Integer.parseInt(m.group(1)) > 65535 || Integer.parseInt(m.group(2)) < 1
                    || Integer.parseInt(m.group(2)) > 65535) {
                throw new IllegalArgumentException("hostedForwards (libos.hostedForwards): expected HOSTPORT:GUESTPORT,... with host "
                        + "ports 0-65535 and guest ports 1-65535, got '" + item.strip() + "' in '" + forwards + "'");
            }
            normalised.append(normalised.isEmpty() ? "" : ",").append(Integer.parseInt(m.group(1))).append(':').append(Integer.parseInt(m.group(2)));
        }
        return normalised.toString();
    }
}
