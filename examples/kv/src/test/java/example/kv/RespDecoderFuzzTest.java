package example.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Seeded property tests of the decoder inside the server's pipeline, with the default (Redis's)
 * limits: random requests, mutated and mixed with hostile headers and junk, fed in random
 * pieces. Properties: no exception reaches the handler; what a connection allocates is bounded
 * by what it sent (never by a declared length or count); every reply is well-formed RESP and a
 * connection closed by the server ended with a protocol error; a witness connection on the same
 * server keeps getting correct answers; valid requests decode the same however they are split.
 * The seed is printed; {@code -Dkv.fuzz.seed=N} replays a run.
 */
class RespDecoderFuzzTest {
    private static final int CASES = 1500;
    /** Allocation allowed per case: a fixed amount plus this many bytes per input byte (JIT-free paths are far below). */
    private static final long ALLOCATION_FIXED_BYTES = 256L << 10;
    private static final long ALLOCATION_PER_INPUT_BYTE = 256;
    private static final String[] HOSTILE = {
        "*2147483647\r\n", "*1000000\r\n$3\r\nGET\r\n", "*9223372036854775807\r\n", "*1048577\r\n", "*3\r\n$536870912\r\n", "*1\r\n$2147483647\r\n",
        "*2\r\n$3\r\nSET\r\n$999999999999\r\n", "*-5\r\n", "$5\r\n", "*1\r\n$-7\r\n", "*1\r\n:1\r\n", "\"unclosed\r\n",
        "*4\r\n$3\r\nSET\r\n$1\r\nk\r\n$400000000\r\n",
    };
    private static final String[] NAMES = {"GET", "SET", "INCR", "DECR", "INCRBY", "DEL", "EXISTS", "MGET", "MSET", "EXPIRE",
        "TTL", "PING", "ECHO", "DBSIZE", "INFO", "set", "Incr", "QUIT", "nope"}; // not FLUSHALL: the witness keeps its key

    private final AtomicLong nowMillis = new AtomicLong();
    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void hostileInputNeverHurtsTheServerOrOtherClients() {
        long seed = Long.getLong("kv.fuzz.seed", System.nanoTime());
        System.out.println("RespDecoderFuzzTest seed " + seed + " (replay: -Dkv.fuzz.seed=" + seed + ")");
        SplittableRandom random = new SplittableRandom(seed);
        KvServer server = new KvServer(RespLimits.DEFAULTS, nowMillis::get);
        KvClient witness = new KvClient(server);
        warmUp(server, random); // class loading and first-time set-up allocate too: not the decoder's doing
        long closedByError = 0;
        for (int n = 0; n < CASES; n++) {
            byte[] input = hostileInput(random);
            KvClient client = new KvClient(server);
            long before = threads.getCurrentThreadAllocatedBytes();
            String replies = feedInPieces(client, input, random);
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            String context = "seed " + seed + ", case " + n + ": " + printable(input);
            assertTrue(allocated <= ALLOCATION_FIXED_BYTES + ALLOCATION_PER_INPUT_BYTE * input.length,
                    allocated + " bytes allocated for " + input.length + " input bytes; " + context);
            int lastReply = checkWellFormed(replies, context);
            if (!client.channel.isOpen() && replies.startsWith("-ERR Protocol error", lastReply)) {
                closedByError++;
            }
            client.channel.finishAndReleaseAll();
            assertEquals(0, server.stats().internalErrors(), "an exception reached the handler; " + context);
            assertEquals(":" + (n + 1) + "\r\n", witness.command("INCR", "witness:counter"), context);
            assertTrue(witness.channel.isOpen(), context);
            nowMillis.addAndGet(random.nextInt(50));
        }
        System.out.println("RespDecoderFuzzTest: " + CASES + " cases, " + closedByError + " closed by a protocol error, "
                + server.stats().limitRefusals() + " refused by a limit");
        assertTrue(closedByError > CASES / 10 && server.stats().limitRefusals() > 0, "the inputs hardly exercised the errors");
    }

    @Test
    void validRequestsDecodeTheSameHoweverTheyAreSplit() {
        long seed = Long.getLong("kv.fuzz.seed", System.nanoTime());
        System.out.println("RespDecoderFuzzTest split seed " + seed + " (replay: -Dkv.fuzz.seed=" + seed + ")");
        SplittableRandom random = new SplittableRandom(seed);
        for (int n = 0; n < 300; n++) {
            ByteArrayOutputStream requests = new ByteArrayOutputStream();
            for (int i = random.nextInt(1, 20); i > 0; i--) {
                requests.writeBytes(validRequest(random, false));
            }
            byte[] input = requests.toByteArray();
            KvClient whole = new KvClient(new KvServer(RespLimits.DEFAULTS, nowMillis::get));
            KvClient split = new KvClient(new KvServer(RespLimits.DEFAULTS, nowMillis::get));
            String expected = whole.send(new String(input, StandardCharsets.ISO_8859_1));
            assertEquals(expected, feedInPieces(split, input, random), "seed " + seed + ", case " + n);
        }
    }

    private void warmUp(KvServer server, SplittableRandom random) {
        for (String hostile : HOSTILE) {
            new KvClient(server).send(hostile).length();
        }
        for (int i = 0; i < 200; i++) {
            KvClient client = new KvClient(server);
            feedInPieces(client, hostileInput(random), random);
            client.channel.finishAndReleaseAll();
        }
        new KvClient(server).command("FLUSHALL");
    }

    private byte[] hostileInput(SplittableRandom random) {
        ByteArrayOutputStream input = new ByteArrayOutputStream();
        for (int i = random.nextInt(1, 6); i > 0; i--) {
            switch (random.nextInt(6)) {
                case 0 -> input.writeBytes(HOSTILE[random.nextInt(HOSTILE.length)].getBytes(StandardCharsets.ISO_8859_1));
                case 1 -> {
                    byte[] junk = new byte[random.nextInt(1, 200)];
                    random.nextBytes(junk);
                    input.writeBytes(junk);
                }
                case 2 -> input.writeBytes(mutate(validRequest(random, true), random));
                default -> input.writeBytes(validRequest(random, random.nextBoolean()));
            }
        }
        return input.toByteArray();
    }

    private static byte[] validRequest(SplittableRandom random, boolean inline) {
        String name = NAMES[random.nextInt(NAMES.length)];
        if (!inline && name.equals("QUIT")) {
            name = "PING";
        }
        int words = 1 + random.nextInt(5);
        StringBuilder line = new StringBuilder(name);
        String[] all = new String[words];
        all[0] = name;
        for (int i = 1; i < words; i++) {
            all[i] = switch (random.nextInt(4)) {
                case 0 -> "k" + random.nextInt(10);
                case 1 -> Integer.toString(random.nextInt(-5, 100));
                case 2 -> "v" + "x".repeat(random.nextInt(30));
                default -> List.of("EX", "PX", "NX", "XX", "KEEPTTL").get(random.nextInt(5));
            };
            line.append(' ').append(all[i]);
        }
        return (inline ? line + "\r\n" : KvClient.multibulk(all)).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] mutate(byte[] request, SplittableRandom random) {
        byte[] out = request.clone();
        for (int i = random.nextInt(1, 4); i > 0; i--) {
            int at = random.nextInt(out.length);
            switch (random.nextInt(3)) {
                case 0 -> out[at] = (byte) random.nextInt(256);
                case 1 -> out[at] = (byte) "*$\r\n-0123456789\"' ".charAt(random.nextInt(17));
                default -> out = java.util.Arrays.copyOf(out, at); // truncated
            }
            if (out.length == 0) {
                return out;
            }
        }
        return out;
    }

    private static String feedInPieces(KvClient client, byte[] input, SplittableRandom random) {
        StringBuilder replies = new StringBuilder();
        for (int at = 0; at < input.length && client.channel.isOpen(); ) {
            int piece = Math.min(input.length - at, random.nextInt(1, 64));
            client.channel.writeInbound(Unpooled.wrappedBuffer(input, at, piece));
            replies.append(client.replies());
            at += piece;
        }
        return replies.toString();
    }

    /** Checks that {@code replies} is a sequence of whole RESP2 replies; returns where the last one starts. */
    private static int checkWellFormed(String replies, String context) {
        int at = 0;
        int last = 0;
        while (at < replies.length()) {
            last = at;
            at = skipReply(replies, at, context);
        }
        return last;
    }

    private static int skipReply(String replies, int at, String context) {
        int eol = replies.indexOf("\r\n", at);
        assertTrue(eol > at, "a reply line without CRLF at " + at + " of " + printable(replies) + "; " + context);
        char type = replies.charAt(at);
        String head = replies.substring(at + 1, eol);
        switch (type) {
            case '+', '-' -> {
                return eol + 2;
            }
            case ':' -> {
                Long.parseLong(head);
                return eol + 2;
            }
            case '$' -> {
                int length = Integer.parseInt(head);
                if (length < 0) {
                    return eol + 2;
                }
                assertEquals("\r\n", replies.substring(eol + 2 + length, eol + 4 + length), context);
                return eol + 4 + length;
            }
            case '*' -> {
                int next = eol + 2;
                for (int i = Integer.parseInt(head); i > 0; i--) {
                    next = skipReply(replies, next, context);
                }
                return next;
            }
            default -> throw new AssertionError("a reply starting with '" + type + "' in " + printable(replies) + "; " + context);
        }
    }

    private static String printable(byte[] bytes) {
        return printable(new String(bytes, StandardCharsets.ISO_8859_1));
    }

    private static String printable(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            out.append(c >= 0x20 && c < 0x7f ? Character.toString(c) : String.format("\\x%02x", (int) c));
        }
        return out.length() > 600 ? out.substring(0, 600) + "..." : out.toString();
    }
}
