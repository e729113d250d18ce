package example.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The commands through the whole pipeline of a connection ({@link KvServer#childHandler()}) on an
 * {@link io.netty.channel.embedded.EmbeddedChannel}, with a clock the test steps. Expected replies
 * are Redis 7's, byte for byte.
 */
class KvCommandsTest {
    private final AtomicLong nowMillis = new AtomicLong(1_000_000);
    private final KvServer server = new KvServer(new RespLimits(1000, 100, 256, 10_000), nowMillis::get);
    private final KvClient client = new KvClient(server);

    private String run(String... words) {
        return client.command(words);
    }

    @Test
    void pingAndEcho() {
        assertEquals("+PONG\r\n", run("PING"));
        assertEquals("$2\r\nhi\r\n", run("ping", "hi"));
        assertEquals("-ERR wrong number of arguments for 'ping' command\r\n", run("PING", "a", "b"));
        assertEquals("$5\r\na\r\nb!\r\n", run("ECHO", "a\r\nb!"));
        assertEquals("-ERR wrong number of arguments for 'echo' command\r\n", run("ECHO"));
    }

    @Test
    void setAndGet() {
        assertEquals("$-1\r\n", run("GET", "k"));
        assertEquals("+OK\r\n", run("SET", "k", "v1"));
        assertEquals("$2\r\nv1\r\n", run("GET", "k"));
        assertEquals("+OK\r\n", run("set", "k", ""));
        assertEquals("$0\r\n\r\n", run("get", "k"));
        assertEquals("-ERR wrong number of arguments for 'get' command\r\n", run("GET"));
        assertEquals("-ERR wrong number of arguments for 'get' command\r\n", run("GET", "a", "b"));
        assertEquals("-ERR wrong number of arguments for 'set' command\r\n", run("SET", "k"));
    }

    @Test
    void setNxAndXx() {
        assertEquals("$-1\r\n", run("SET", "k", "v", "XX"));
        assertEquals("+OK\r\n", run("SET", "k", "v", "NX"));
        assertEquals("$-1\r\n", run("SET", "k", "w", "nx"));
        assertEquals("+OK\r\n", run("SET", "k", "w", "xx"));
        assertEquals("$1\r\nw\r\n", run("GET", "k"));
        assertEquals("-ERR syntax error\r\n", run("SET", "k", "v", "NX", "XX"));
        assertEquals("-ERR syntax error\r\n", run("SET", "k", "v", "BOGUS"));
    }

    @Test
    void setExAndPxExpireLazily() {
        assertEquals("+OK\r\n", run("SET", "k", "v", "EX", "10"));
        assertEquals(":10\r\n", run("TTL", "k"));
        nowMillis.addAndGet(9_999);
        assertEquals("$1\r\nv\r\n", run("GET", "k"));
        assertEquals(":1\r\n", run("PTTL", "k"));
        nowMillis.addAndGet(1);
        assertEquals("$-1\r\n", run("GET", "k"));
        assertEquals(":-2\r\n", run("TTL", "k"));
        assertEquals("+OK\r\n", run("SET", "p", "v", "PX", "1500", "NX"));
        assertEquals(":2\r\n", run("TTL", "p"), "TTL rounds to the nearest second");
        assertEquals("+OK\r\n", run("SET", "p", "w", "XX"));
        assertEquals(":-1\r\n", run("TTL", "p"), "a plain SET drops the expiry");
    }

    @Test
    void setRejectsBadExpiries() {
        assertEquals("-ERR value is not an integer or out of range\r\n", run("SET", "k", "v", "EX", "ten"));
        assertEquals("-ERR invalid expire time in 'set' command\r\n", run("SET", "k", "v", "EX", "0"));
        assertEquals("-ERR invalid expire time in 'set' command\r\n", run("SET", "k", "v", "PX", "-5"));
        assertEquals("-ERR invalid expire time in 'set' command\r\n", run("SET", "k", "v", "EX", "9223372036854775807"));
        assertEquals("-ERR syntax error\r\n", run("SET", "k", "v", "EX", "1", "PX", "1"));
        assertEquals("-ERR syntax error\r\n", run("SET", "k", "v", "EX"));
        assertEquals("$-1\r\n", run("GET", "k"));
    }

    @Test
    void keepTtlKeepsTheExpiry() {
        run("SET", "k", "v", "EX", "100");
        assertEquals("+OK\r\n", run("SET", "k", "w", "KEEPTTL"));
        assertEquals(":100\r\n", run("TTL", "k"));
    }

    @Test
    void delAndExistsCount() {
        run("MSET", "a", "1", "b", "2");
        assertEquals(":3\r\n", run("EXISTS", "a", "b", "a", "c"), "a key named twice counts twice");
        assertEquals(":2\r\n", run("DEL", "a", "b", "c", "a"));
        assertEquals(":0\r\n", run("EXISTS", "a"));
        assertEquals("-ERR wrong number of arguments for 'del' command\r\n", run("DEL"));
    }

    @Test
    void incrementsFollowRedisIntegerRules() {
        assertEquals(":1\r\n", run("INCR", "n"));
        assertEquals(":11\r\n", run("INCRBY", "n", "10"));
        assertEquals(":10\r\n", run("DECR", "n"));
        assertEquals(":-5\r\n", run("DECRBY", "n", "15"));
        assertEquals("$2\r\n-5\r\n", run("GET", "n"));
        run("SET", "s", "abc");
        assertEquals("-ERR value is not an integer or out of range\r\n", run("INCR", "s"));
        run("SET", "s", " 1");
        assertEquals("-ERR value is not an integer or out of range\r\n", run("INCR", "s"));
        run("SET", "s", "01");
        assertEquals("-ERR value is not an integer or out of range\r\n", run("INCR", "s"));
        assertEquals("-ERR value is not an integer or out of range\r\n", run("INCRBY", "n", "1.5"));
        run("SET", "max", "9223372036854775807");
        assertEquals("-ERR increment or decrement would overflow\r\n", run("INCR", "max"));
        assertEquals("$19\r\n9223372036854775807\r\n", run("GET", "max"));
        run("SET", "min", "-9223372036854775808");
        assertEquals("-ERR increment or decrement would overflow\r\n", run("DECR", "min"));
        assertEquals("-ERR value is not an integer or out of range\r\n", run("INCRBY", "n", "9223372036854775808"));
        assertEquals("-ERR wrong number of arguments for 'incr' command\r\n", run("INCR"));
    }

    @Test
    void incrKeepsTheExpiry() {
        run("SET", "n", "5", "EX", "50");
        assertEquals(":6\r\n", run("INCR", "n"));
        assertEquals(":50\r\n", run("TTL", "n"));
    }

    @Test
    void msetAndMget() {
        assertEquals("+OK\r\n", run("MSET", "a", "1", "b", "22"));
        assertEquals("*3\r\n$1\r\n1\r\n$-1\r\n$2\r\n22\r\n", run("MGET", "a", "nope", "b"));
        assertEquals("-ERR wrong number of arguments for 'mset' command\r\n", run("MSET", "a", "1", "b"));
        assertEquals("-ERR wrong number of arguments for 'mget' command\r\n", run("MGET"));
    }

    @Test
    void expireAndTtl() {
        assertEquals(":0\r\n", run("EXPIRE", "k", "10"));
        run("SET", "k", "v");
        assertEquals(":-1\r\n", run("TTL", "k"));
        assertEquals(":1\r\n", run("EXPIRE", "k", "10"));
        assertEquals(":10\r\n", run("TTL", "k"));
        assertEquals(":0\r\n", run("EXPIRE", "k", "20", "NX"));
        assertEquals(":1\r\n", run("EXPIRE", "k", "20", "GT"));
        assertEquals(":0\r\n", run("EXPIRE", "k", "5", "GT"));
        assertEquals(":1\r\n", run("EXPIRE", "k", "5", "LT"));
        assertEquals(":5\r\n", run("TTL", "k"));
        assertEquals("-ERR Unsupported option FOO\r\n", run("EXPIRE", "k", "5", "FOO"));
        assertEquals("-ERR NX and XX, GT or LT options at the same time are not compatible\r\n",
                run("EXPIRE", "k", "5", "NX", "XX"));
        assertEquals("-ERR GT and LT options at the same time are not compatible\r\n", run("EXPIRE", "k", "5", "GT", "LT"));
        assertEquals("-ERR value is not an integer or out of range\r\n", run("EXPIRE", "k", "x"));
        assertEquals("-ERR invalid expire time in 'expire' command\r\n", run("EXPIRE", "k", "9223372036854775807"));
        assertEquals(":1\r\n", run("EXPIRE", "k", "-1"), "a past expiry deletes the key");
        assertEquals(":0\r\n", run("EXISTS", "k"));
        assertEquals(":-2\r\n", run("TTL", "k"));
    }

    @Test
    void theExpiryCycleRemovesKeysNobodyReads() {
        for (int i = 0; i < 100; i++) {
            run("SET", "t" + i, "v", "PX", Integer.toString(100 + i));
        }
        run("SET", "forever", "v");
        assertEquals(":101\r\n", run("DBSIZE"));
        nowMillis.addAndGet(150);
        int removed = 0;
        for (int cycle = 0; cycle < 10; cycle++) {
            removed += server.expireCycle();
        }
        assertEquals(51, removed, "keys t0..t50 expired");
        assertEquals(":50\r\n", run("DBSIZE"));
        nowMillis.addAndGet(1000);
        for (int cycle = 0; cycle < 10; cycle++) {
            server.expireCycle();
        }
        assertEquals(":1\r\n", run("DBSIZE"));
        assertTrue(run("INFO", "stats").contains("expired_keys:100\r\n"));
    }

    @Test
    void dbsizeAndFlushall() {
        run("MSET", "a", "1", "b", "2");
        assertEquals(":2\r\n", run("DBSIZE"));
        assertEquals("+OK\r\n", run("FLUSHALL"));
        assertEquals(":0\r\n", run("DBSIZE"));
        assertEquals("+OK\r\n", run("FLUSHALL", "ASYNC"));
        assertEquals("-ERR syntax error\r\n", run("FLUSHALL", "NOW"));
        assertEquals("-ERR wrong number of arguments for 'dbsize' command\r\n", run("DBSIZE", "x"));
    }

    @Test
    void infoHasSectionsOfNameValueLines() {
        run("SET", "a", "1");
        String info = run("INFO");
        assertTrue(info.startsWith("$"), info);
        for (String line : new String[] {"# Server\r\n", "# Clients\r\nconnected_clients:1\r\n", "# Stats\r\n",
                "total_connections_received:1\r\n", "# Keyspace\r\ndb0:keys=1\r\n"}) {
            assertTrue(info.contains(line), "INFO lacks " + line + ": " + info);
        }
        String keyspace = run("info", "keyspace");
        assertFalse(keyspace.contains("# Server"), keyspace);
    }

    @Test
    void configGetAnswersWhatRedisBenchmarkAsks() {
        assertEquals("*2\r\n$4\r\nsave\r\n$0\r\n\r\n", run("CONFIG", "GET", "save"));
        assertEquals("*2\r\n$10\r\nappendonly\r\n$2\r\nno\r\n", run("CONFIG", "GET", "appendonly"));
        assertEquals("*0\r\n", run("CONFIG", "GET", "maxmemory"));
        assertTrue(run("CONFIG", "SET", "a", "b").startsWith("-ERR"));
    }

    @Test
    void unknownCommandsEchoTheirFirstArguments() {
        assertEquals("-ERR unknown command 'foo', with args beginning with: 'a' 'b c' \r\n", run("foo", "a", "b c"));
        assertEquals("-ERR unknown command 'x', with args beginning with: \r\n", run("x"));
        assertEquals("-ERR unknown command 'a  b', with args beginning with: 'c  d' \r\n", run("a\r\nb", "c\r\nd"),
                "CR and LF become spaces: the error stays one line");
        String longName = "n".repeat(300);
        String reply = run(longName, "y".repeat(300), "z");
        assertEquals("-ERR unknown command '" + "n".repeat(128) + "', with args beginning with: '" + "y".repeat(128)
                + "' \r\n", reply);
    }

    @Test
    void pipelinedCommandsGetTheirRepliesInOrderInOneWrite() {
        String batch = KvClient.multibulk("SET", "a", "1") + KvClient.multibulk("INCR", "a") + "GET a\r\n"
                + KvClient.multibulk("nope");
        client.channel.writeInbound(io.netty.buffer.Unpooled.copiedBuffer(batch, java.nio.charset.StandardCharsets.US_ASCII));
        io.netty.buffer.ByteBuf only = client.channel.readOutbound();
        assertEquals("+OK\r\n:2\r\n$1\r\n2\r\n-ERR unknown command 'nope', with args beginning with: \r\n",
                only.toString(java.nio.charset.StandardCharsets.US_ASCII));
        only.release();
        assertNull(client.channel.readOutbound(), "one write for the whole batch");
    }

    @Test
    void inlineCommandsWork() {
        assertEquals("+OK\r\n", client.send("SET k \"two words\"\r\n"));
        assertEquals("$9\r\ntwo words\r\n", client.send("GET k\n"));
    }

    @Test
    void quitRepliesOkThenCloses() {
        assertEquals("+OK\r\n", client.send(KvClient.multibulk("QUIT") + KvClient.multibulk("SET", "x", "1")));
        assertFalse(client.channel.isOpen());
        assertEquals(":0\r\n", new KvClient(server).command("EXISTS", "x"), "nothing after QUIT ran");
    }

    @Test
    void malformedInputGetsAnErrorAndClosesThatConnectionOnly() {
        KvClient other = new KvClient(server);
        assertEquals("+OK\r\n", other.command("SET", "a", "1"));
        String reply = client.send(KvClient.multibulk("INCR", "a") + "*1\r\n$x\r\n" + KvClient.multibulk("INCR", "a"));
        assertEquals(":2\r\n-ERR Protocol error: invalid bulk length\r\n", reply);
        assertFalse(client.channel.isOpen());
        assertTrue(other.channel.isOpen());
        assertEquals(":3\r\n", other.command("INCR", "a"));
        String stats = other.command("INFO", "stats");
        assertTrue(stats.contains("kv_protocol_errors:1\r\n") && stats.contains("kv_limit_refusals:0\r\n"), stats);
    }

    @Test
    void anOverLimitRequestIsRefusedAndCounted() {
        assertEquals("-ERR Protocol error: invalid bulk length (more than kv.maxBulkBytes=1000)\r\n",
                client.send("*2\r\n$3\r\nGET\r\n$1001\r\n"));
        assertFalse(client.channel.isOpen());
        assertEquals(1, server.stats().limitRefusals());
        assertEquals(1, server.stats().protocolErrors());
    }
}
