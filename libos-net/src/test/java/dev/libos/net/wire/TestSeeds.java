package dev.libos.net.wire;

/** Seeds of randomised tests: from a system property to re-run a failure, else fresh and printed. */
final class TestSeeds {
    private TestSeeds() {
    }

    /** The seed for {@code testName}: {@code -Dlibos.net.test.seed=N} or a fresh one, printed either way. */
    static long seed(String testName) {
        String property = System.getProperty("libos.net.test.seed");
        long seed = property != null ? Long.parseLong(property) : System.nanoTime() ^ 0x9E3779B97F4A7C15L;
        System.out.println(testName + ": seed " + seed + " (re-run with -Dlibos.net.test.seed=" + seed + ")");
        return seed;
    }

    /** An integer system property, or {@code defaultValue}. */
    static int intProperty(String name, int defaultValue) {
        String property = System.getProperty(name);
        return property == null ? defaultValue : Integer.parseInt(property.replace("_", ""));
    }
}
