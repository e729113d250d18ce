package dev.libos.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** user-data, network-config and the YAML subset they are written in. */
class CloudConfigTest {
    @Test
    void libosConfigGivesPropertiesAndEnvironmentInOrder() {
        CloudConfig config = CloudConfig.parse("""
                #libos-config
                # a comment
                properties:
                  greeting: hello from the cloud   # trailing comment
                  app.mode: "production # not a comment"
                  empty: ''
                environment:
                  GREETING: 'it''s me'
                  PATH_2: "a\\tb"
                """).orElseThrow();
        assertEquals(List.of("greeting", "app.mode", "empty"), List.copyOf(config.properties().keySet()));
        assertEquals("hello from the cloud", config.properties().get("greeting"));
        assertEquals("production # not a comment", config.properties().get("app.mode"));
        assertEquals("", config.properties().get("empty"));
        assertEquals(Map.of("GREETING", "it's me", "PATH_2", "a\tb"), config.environment());
    }

    @Test
    void otherUserDataIsLeftAlone() {
        assertEquals(Optional.empty(), CloudConfig.parse("#cloud-config\npackages: [nginx]\n"));
        assertEquals(Optional.empty(), CloudConfig.parse(""));
        assertEquals(Optional.empty(), CloudConfig.parse("#!/bin/sh\necho hi\n"));
    }

    @Test
    void errorsNameTheLineOrTheKey() {
        record Case(String text, String expected) {
        }
        for (Case c : List.of(
                new Case("#libos-config\nproperties:\n  a: 1\n  a: 2\n", "line 4: the key 'a' is given twice"),
                new Case("#libos-config\nproperties:\n\ta: 1\n", "line 3: a tab"),
                new Case("#libos-config\nnetwork:\n  a: 1\n", "unknown section 'network'"),
                new Case("#libos-config\nproperties:\n  a:\n    b: c\n", "properties.a must be a single value"),
                new Case("#libos-config\nenvironment:\n  1BAD: x\n", "'1BAD' is not a valid name"),
                new Case("#libos-config\nproperties:\n  a: \"open\n", "line 3: a string opened"),
                new Case("#libos-config\nproperties:\n  a: &anchor x\n", "line 3: '&' starts YAML syntax"),
                new Case("#libos-config\nproperties:\n  a: 1\n   b: 2\n", "line 4: unexpected indentation"),
                new Case("#libos-config\nproperties\n", "line 2: expected 'key: value'"),
                new Case("#libos-config\nproperties:\n  a: \"x\\q\"\n", "line 3: unknown escape"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CloudConfig.parse(c.text()), c.text());
            assertTrue(e.getMessage().startsWith("user-data") && e.getMessage().contains(c.expected()), c.text() + " -> " + e.getMessage());
        }
    }

    @Test
    void randomTextNeverThrowsAnythingButANamedError() {
        long seed = System.nanoTime();
        System.out.println("CloudConfigTest seed " + seed);
        Random random = new Random(seed);
        String alphabet = "ab: -#'\"[],\n\t\\&{}";
        for (int round = 0; round < 20_000; round++) {
            StringBuilder text = new StringBuilder("#libos-config\n");
            for (int i = random.nextInt(60); i > 0; i--) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            try {
                CloudConfig.parse(text.toString());
                CloudNetworkConfig.settings(text.substring(14));
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage().startsWith("user-data") || e.getMessage().startsWith("network-config"),
                        "seed " + seed + ": " + e.getMessage());
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + " round " + round + " text " + text + ": " + e, e);
            }
        }
    }

    @Test
    void networkConfigVersion2GivesTheLibosNetSettings() {
        Map<String, String> settings = CloudNetworkConfig.settings("""
                network:
                  version: 2
                  ethernets:
                    eth0:
                      match:
                        name: "e*"
                      dhcp4: false
                      addresses:
                        - 10.0.2.15/24
                      gateway4: 10.0.2.2
                      nameservers:
                        addresses: [10.0.2.3, 1.1.1.1]
                      mtu: 1400
                """);
        assertEquals(Map.of(NetworkSettings.ADDRESS, "10.0.2.15/24", NetworkSettings.GATEWAY, "10.0.2.2",
                NetworkSettings.DNS, "10.0.2.3,1.1.1.1", NetworkSettings.MTU, "1400"), settings);
        assertEquals(Map.of(), CloudNetworkConfig.settings("version: 2\nethernets:\n  eth0:\n    dhcp4: true\n"));
        NetworkSettings parsed = NetworkSettings.from(properties(settings));
        assertEquals("10.0.2.15", parsed.address().address().toString());
    }

    private static java.util.Properties properties(Map<String, String> settings) {
        java.util.Properties p = new java.util.Properties();
        p.putAll(settings);
        return p;
    }

    @Test
    void networkConfigErrorsNameTheKey() {
        record Case(String text, String expected) {
        }
        for (Case c : List.of(
                new Case("version: 1\nconfig: []\n", "version must be 2"),
                new Case("version: 2\nethernets:\n  a:\n    dhcp4: true\n  b:\n    dhcp4: true\n", "exactly one interface"),
                new Case("version: 2\nethernets:\n  e:\n    addresses: [10.0.0.1/8, 10.0.0.2/8]\n", "libos takes one address"),
                new Case("version: 2\nethernets:\n  e:\n    addresses: [10.0.0.1]\n", "not an IPv4 address with a prefix"),
                new Case("version: 2\nethernets:\n  e:\n    routes: x\n", "ethernets.e.routes is not read"),
                new Case("version: 2\nethernets:\n  e:\n    dhcp4: true\n    addresses: [10.0.0.1/8]\n", "choose one"),
                new Case("version: 2\nbonds: x\n", "'bonds' is not read"),
                new Case("version: 2\nethernets:\n  e:\n    gateway4: host\n", "gateway4: 'host'"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CloudNetworkConfig.settings(c.text()), c.text());
            assertTrue(e.getMessage().startsWith("network-config") && e.getMessage().contains(c.expected()), c.text() + " -> " + e.getMessage());
        }
    }

    @Test
    void theHookSetsPropertiesAndTheEnvironmentTheApplicationReads() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream console = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        String name = "LIBOS_CLOUD_TEST_" + System.nanoTime();
        NoCloudBootHook.apply("cidata", Map.of(
                "meta-data", "instance-id: i-123\nlocal-hostname: vm\n".getBytes(StandardCharsets.UTF_8),
                "user-data", ("#libos-config\nproperties:\n  libos.cloud.test: yes\nenvironment:\n  " + name + ": value\n")
                        .getBytes(StandardCharsets.UTF_8)), console);
        try {
            assertEquals("yes", System.getProperty("libos.cloud.test"));
            assertEquals("value", System.getenv(name));
            assertEquals("value", System.getenv().get(name));
            assertEquals("value", new ProcessBuilder().environment().get(name), "child processes inherit it");
            String line = bytes.toString(StandardCharsets.UTF_8);
            assertTrue(line.contains("instance-id i-123") && line.contains("1 properties and 1 environment variables"), line);
        } finally {
            System.clearProperty("libos.cloud.test");
        }
    }
}
