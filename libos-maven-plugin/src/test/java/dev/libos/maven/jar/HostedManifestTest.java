package dev.libos.maven.jar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostedManifestTest {
    @Test
    void forwardsAreNormalisedAndHostPortZeroIsAllowed() {
        assertEquals("8080:80,0:7777", HostedManifest.checkForwards(" 8080 : 80, 0:7777"));
        for (String bad : List.of("8080", "8080:0", "70000:80", "a:b", "1:2:3", "1:2,", "")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HostedManifest.checkForwards(bad), bad);
            assertTrue(e.getMessage().startsWith("hostedForwards (libos.hostedForwards)"), e.getMessage());
        }
    }

    @Test
    void extraEntriesMayAddOrOverrideButNotReplaceTheMainClass() {
        Map<String, String> attributes = HostedManifest.attributes("a.Main", null, Map.of("Implementation-Title", "demo",
                "Add-Opens", "java.base/java.lang java.base/java.io"));
        assertEquals("demo", attributes.get("Implementation-Title"));
        assertEquals("java.base/java.lang java.base/java.io", attributes.get("Add-Opens"));
        assertEquals("dev.libos.core.Boot", attributes.get("Main-Class"));
        for (Map<String, String> bad : List.of(Map.of("Main-Class", "x.Y"), Map.of("bad name", "v"), Map.of("X-Line", "a\nb"))) {
            assertTrue(assertThrows(IllegalArgumentException.class, () -> HostedManifest.attributes("a.Main", null, bad))
                    .getMessage().startsWith("manifestEntries"));
        }
    }
}
