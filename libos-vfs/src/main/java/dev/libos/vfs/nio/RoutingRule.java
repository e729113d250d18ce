package dev.libos.vfs.nio;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Which host paths the default-provider mode sends to the VFS: those equal to or under one of
 * a set of absolute prefixes ("/" sends everything). The test is lexical, on the absolute,
 * normalised path string (the working directory resolves relative paths; ".." is removed
 * without looking at symlinks), so it never touches a file system.
 */
public final class RoutingRule {
    /** The system property read by {@link #fromSystemProperty()}: comma-separated prefixes. */
    public static final String PROPERTY = "libos.vfs.routed";
    /** The prefixes routed when {@link #PROPERTY} is not set. */
    public static final String DEFAULT_PREFIXES = "/libos";

    private final List<String> prefixes;

    private RoutingRule(List<String> prefixes) {
        this.prefixes = prefixes;
    }

    /**
     * A rule routing {@code prefixes}.
     *
     * @throws IllegalArgumentException naming a prefix that is empty, relative or not normal
     *     (".", "..", empty names), or when there is none
     */
    public static RoutingRule of(Collection<String> prefixes) {
        if (prefixes.isEmpty()) {
            throw new IllegalArgumentException("no routed prefixes");
        }
        List<String> normal = new ArrayList<>();
        for (String prefix : prefixes) {
            String p = prefix.trim();
            if (p.length() > 1 && p.endsWith("/")) {
                p = p.substring(0, p.length() - 1);
            }
            if (!p.startsWith("/") || p.contains("//") || p.contains("/./") || p.endsWith("/.")
                    || p.contains("/../") || p.endsWith("/..")) {
                throw new IllegalArgumentException("routed prefix must be an absolute normal path: \"" + prefix + "\"");
            }
            normal.add(p);
        }
        return new RoutingRule(List.copyOf(normal));
    }

    /** The rule of system property {@link #PROPERTY} (default {@value #DEFAULT_PREFIXES}). */
    public static RoutingRule fromSystemProperty() {
        return of(List.of(System.getProperty(PROPERTY, DEFAULT_PREFIXES).split(",")));
    }

    /** True when {@code absoluteNormalPath} is a routed prefix or lies under one. */
    public boolean routes(String absoluteNormalPath) {
        for (String p : prefixes) {
            if (p.equals("/") || absoluteNormalPath.equals(p) || absoluteNormalPath.startsWith(p + "/")) {
                return true;
            }
        }
        return false;
    }

    /** The prefixes, normalised. */
    public List<String> prefixes() {
        return prefixes;
    }
}
