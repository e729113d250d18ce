package dev.libos.jvm.net.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.api.net.BlockingSockets;
import dev.libos.api.net.UdpSocket;
import dev.libos.jvm.net.testing.TestLan;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JVM's resolver with a system network: hosts entries, the hosts file, and DNS over libos UDP
 * against a server on the peer host that answers, refuses, forges and stays silent on purpose.
 */
@Timeout(60)
class ResolverOnSystemNetworkTest {
    private static TestLan lan;
    private static UdpSocket dnsServer;
    private static final ConcurrentHashMap<String, AtomicInteger> QUERIES = new ConcurrentHashMap<>();

    @BeforeAll
    static void boot() throws Exception {
        assertTrue(InetAddress.getByName("localhost").isLoopbackAddress(), "before boot: the JDK's resolver");
        assertThrows(UnknownHostException.class, () -> InetAddress.getByName("peer.before-boot.test"),
                "no system network: the JDK's built-in resolver, which knows no such name");
        long seed = Long.getLong("libos.test.seed", System.nanoTime());
        System.out.println("ResolverOnSystemNetworkTest seed " + seed);
        lan = TestLan.start(seed);
        dnsServer = lan.peer().openUdp();
        dnsServer.bind(new InetSocketAddress(53));
        lan.startLibosThread("peer-dns", ResolverOnSystemNetworkTest::serveDns);
        lan.dnsServers(TestLan.PEER_ADDRESS);
    }

    @AfterAll
    static void shutdown() throws Exception {
        dnsServer.close();
        lan.close();
    }

    /**
     * The peer's DNS server: www.example.test has 10.0.0.2; retry.test is answered from the second
     * query on; forged.test gets a reply with a wrong ID and one from a wrong port before the right
     * one; silent.test is never answered; everything else is NXDOMAIN.
     */
    private static void serveDns() {
        ByteBuffer buffer = ByteBuffer.allocate(1500);
        while (dnsServer.isOpen()) {
            try {
                InetSocketAddress from = BlockingSockets.receive(dnsServer, buffer.clear(), 0);
                byte[] query = java.util.Arrays.copyOf(buffer.array(), buffer.position());
                int id = (query[0] & 0xFF) << 8 | query[1] & 0xFF;
                String name = questionName(query);
                int count = QUERIES.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
                switch (name) {
                    case "www.example.test" -> reply(from, DnsReplies.ok(id, 1).question(name).answerA(10, 0, 0, 2));
                    case "retry.test" -> {
                        if (count > 1) {
                            reply(from, DnsReplies.ok(id, 1).question(name).answerA(10, 0, 0, 9));
                        }
                    }
                    case "forged.test" -> {
                        reply(from, DnsReplies.ok(id ^ 1, 1).question(name).answerA(6, 6, 6, 6));
                        try (UdpSocket other = lan.peer().openUdp()) {
                            other.bind(new InetSocketAddress(5353));
                            other.send(ByteBuffer.wrap(DnsReplies.ok(id, 1).question(name).answerA(6, 6, 6, 7).bytes()), from);
                        }
                        reply(from, DnsReplies.ok(id, 1).question(name).answerA(10, 0, 0, 8));
                    }
                    case "silent.test" -> {
                    }
                    default -> reply(from, DnsReplies.header(id, 0x8183, 1, 0).question(name));
                }
            } catch (Exception e) {
                if (dnsServer.isOpen()) {
                    e.printStackTrace();
                }
            }
        }
    }

    private static String questionName(byte[] query) {
        StringBuilder name = new StringBuilder();
        int at = 12;
        while (query[at] != 0) {
            int length = query[at];
            name.append(name.isEmpty() ? "" : ".").append(new String(query, at + 1, length, StandardCharsets.US_ASCII));
            at += length + 1;
        }
        return name.toString();
    }

    private static void reply(InetSocketAddress to, DnsReplies reply) throws Exception {
        dnsServer.send(ByteBuffer.wrap(reply.bytes()), to);
    }

    @Test
    void localhostAndHostsEntriesResolveWithoutAsking() throws Exception {
        assertEquals("127.0.0.1", InetAddress.getByName("localhost").getHostAddress());
        lan.addHost("db.lan.test", "10.0.0.77");
        InetAddress db = InetAddress.getByName("DB.lan.test");
        assertEquals("10.0.0.77", db.getHostAddress());
        assertEquals(null, QUERIES.get("db.lan.test"), "no DNS query for a hosts entry");
    }

    @Test
    void dnsAnswersOverLibosUdp() throws Exception {
        assertEquals("10.0.0.2", InetAddress.getByName("www.example.test").getHostAddress());
        UnknownHostException e = assertThrows(UnknownHostException.class, () -> InetAddress.getByName("nowhere.test"));
        assertTrue(e.getMessage().contains("nowhere.test"), e.getMessage());
    }

    @Test
    void aLostQueryIsRetriedAndForgedRepliesAreDropped() throws Exception {
        DnsClient client = new DnsClient(lan.system(), new DnsSettings(300, 3), new SplittableRandom(1));
        List<InetAddress> servers = List.of(TestLan.address(TestLan.PEER_ADDRESS));
        assertEquals(List.of(TestLan.address("10.0.0.9")), client.lookup("retry.test", servers));
        assertEquals(2, QUERIES.get("retry.test").get());
        assertEquals(List.of(TestLan.address("10.0.0.8")), client.lookup("forged.test", servers));
        assertEquals(2, client.droppedReplies(), "the wrong ID and the wrong port");
    }

    @Test
    void aSilentServerTimesOutNamingTheHostAndTheServers() throws Exception {
        DnsClient client = new DnsClient(lan.system(), new DnsSettings(100, 2), new SplittableRandom(2));
        UnknownHostException e = assertThrows(UnknownHostException.class, () -> client.lookup("silent.test",
                List.of(TestLan.address("10.0.0.55"), TestLan.address(TestLan.PEER_ADDRESS))));
        assertTrue(e.getMessage().startsWith("silent.test: no answer from the DNS servers"), e.getMessage());
        assertTrue(e.getMessage().contains("10.0.0.55: timed out") && e.getMessage().contains("10.0.0.2: timed out"),
                e.getMessage());
        assertEquals(2, QUERIES.get("silent.test").get(), "two attempts at the server that exists");
        UnknownHostException none = assertThrows(UnknownHostException.class, () -> client.lookup("x.test", List.of()));
        assertTrue(none.getMessage().contains("no DNS server is configured"), none.getMessage());
    }

    @Test
    void theHostsFileIsReadOnceAndIpv6OnlyIsRefused(@TempDir Path dir) throws Exception {
        Path hosts = dir.resolve("hosts");
        Files.writeString(hosts, "192.0.2.10 files.lan.test\n");
        LibosResolver resolver = new LibosResolver(null, hosts, new DnsSettings(100, 1));
        assertEquals("192.0.2.10", resolver.lookupByName("files.lan.test", java.net.spi.InetAddressResolver.LookupPolicy
                .of(java.net.spi.InetAddressResolver.LookupPolicy.IPV4)).findFirst().orElseThrow().getHostAddress());
        assertEquals("files.lan.test", resolver.lookupByAddress(new byte[] {(byte) 192, 0, 2, 10}));
        assertEquals("localhost", resolver.lookupByAddress(new byte[] {127, 0, 0, 1}));
        assertThrows(UnknownHostException.class, () -> resolver.lookupByName("files.lan.test",
                java.net.spi.InetAddressResolver.LookupPolicy.of(java.net.spi.InetAddressResolver.LookupPolicy.IPV6)));
    }
}
