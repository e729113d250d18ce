package dev.libos.guest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What libos takes from a NoCloud {@code user-data} file: system properties and environment
 * variables for the application. The file is read only when its first line is
 * {@value #HEADER} (other user-data, such as cloud-init's {@code #cloud-config}, is for other
 * software and left alone); the rest is {@link ConfigYaml} with two optional sections:
 * <pre>
 * #libos-config
 * properties:            # System.getProperty(name)
 *   greeting: hello from the cloud
 *   app.mode: "production"
 * environment:           # System.getenv(name)
 *   GREETING: hi
 * </pre>
 * Anything else is an error naming the line or the key.
 *
 * @param properties  system properties to set, in file order
 * @param environment environment variables to set, in file order
 */
public record CloudConfig(Map<String, String> properties, Map<String, String> environment) {
    /** The first line that makes a user-data file libos's. */
    public static final String HEADER = "#libos-config";
    private static final Pattern PROPERTY = Pattern.compile("[A-Za-z0-9._-]{1,200}");
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,199}");

    /**
     * Parses {@code text}; empty when it is not a {@value #HEADER} file.
     *
     * @throws IllegalArgumentException naming the line or key of the first error
     */
    public static Optional<CloudConfig> parse(String text) {
        String firstLine = text.lines().findFirst().orElse("").strip();
        if (!firstLine.equals(HEADER)) {
            return Optional.empty();
        }
        Map<String, Object> top = ConfigYaml.parse("user-data", text);
        Map<String, String> properties = new LinkedHashMap<>();
        Map<String, String> environment = new LinkedHashMap<>();
        for (Map.Entry<String, Object> section : top.entrySet()) {
            switch (section.getKey()) {
                case "properties" -> collect(section, PROPERTY, properties);
                case "environment" -> collect(section, VARIABLE, environment);
                default -> throw new IllegalArgumentException("user-data: unknown section '" + section.getKey()
                        + "' (libos reads properties and environment)");
            }
        }
        return Optional.of(new CloudConfig(properties, environment));
    }

    /**
     * Gives the application these settings: sets the system properties and puts the variables
     * into the environment ({@link GuestEnvironment}); what is set replaces the image's own
     * settings of the same name.
     *
     * @return what was set, for the console
     * @throws ReflectiveOperationException when the environment cannot be changed
     */
    String apply() throws ReflectiveOperationException {
        properties.forEach(System::setProperty);
        GuestEnvironment.putAll(environment);
        return properties.size() + " properties and " + environment.size() + " environment variables from user-data";
    }

    private static void collect(Map.Entry<String, Object> section, Pattern names, Map<String, String> into) {
        if (section.getValue() instanceof String s && s.isEmpty()) {
            return;
        }
        if (!(section.getValue() instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("user-data: " + section.getKey() + " must be a mapping of 'name: value' lines");
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String name = (String) e.getKey();
            if (!names.matcher(name).matches()) {
                throw new IllegalArgumentException("user-data: " + section.getKey() + ": '" + name + "' is not a valid name (" + names + ")");
            }
            if (!(e.getValue() instanceof String value)) {
                throw new IllegalArgumentException("user-data: " + section.getKey() + "." + name + " must be a single value");
            }
            into.put(name, value);
        }
    }
}
