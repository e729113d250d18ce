package example.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link RespDecoder} alone: what it makes of multibulk and inline requests, split anyhow, and of bad input. */
class RespDecoderTest {
    private static final RespLimits SMALL = new RespLimits(100, 8, 64, 300);

    private final EmbeddedChannel channel = new EmbeddedChannel(new RespDecoder(SMALL));

    private List<Object> feed(String... chunks) {
        for (String chunk : chunks) {
            channel.writeInbound(Unpooled.copiedBuffer(chunk, StandardCharsets.ISO_8859_1));
        }
        List<Object> out = new ArrayList<>();
        for (Object m; (m = channel.readInbound()) != null; ) {
            out.add(m);
        }
        return out;
    }

    private static List<String> words(Object message) {
        RespCommand command = assertInstanceOf(RespCommand.class, message);
        List<String> words = new ArrayList<>();
        for (int i = 0; i < command.size(); i++) {
            words.add(command.text(i));
        }
        return words;
    }

    private static String error(Object message) {
        return assertInstanceOf(RespProtocolError.class, message).message();
    }

    @Test
    void aMultibulkRequestIsOneCommand() {
        List<Object> out = feed("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nv\r\nx!\r\n");
        assertEquals(1, out.size());
        assertEquals(List.of("SET", "k", "v\r\nx!"), words(out.get(0)));
    }

    @Test
    void pipelinedRequestsComeOutInOrder() {
        List<Object> out = feed("*1\r\n$4\r\nPING\r\n*2\r\n$3\r\nGET\r\n$1\r\na\r\nECHO hi\r\n");
        assertEquals(List.of("PING"), words(out.get(0)));
        assertEquals(List.of("GET", "a"), words(out.get(1)));
        assertEquals(List.of("ECHO", "hi"), words(out.get(2)));
    }

    @Test
    void aRequestSplitAtEveryByteDecodesTheSame() {
        String request = "*2\r\n$4\r\nECHO\r\n$10\r\n0123456789\r\nSET  \"a b\" 'c'\n";
        String[] bytes = request.split("");
        List<Object> out = feed(bytes);
        assertEquals(List.of("ECHO", "0123456789"), words(out.get(0)));
        assertEquals(List.of("SET", "a b", "c"), words(out.get(1)));
    }

    @Test
    void inlineCommandsFollowRedisQuoting() {
        List<Object> out = feed("set \"a\\x41\\n\" 'it\\'s'\r\n", "\r\n", "   \r\n", "ping\n");
        assertEquals(List.of("set", "aA\n", "it's"), words(out.get(0)));
        assertEquals(List.of("ping"), words(out.get(1)));
        assertEquals(2, out.size(), "empty lines are no commands");
    }

    @Test
    void emptyAndNullArraysAreNoCommands() {
        List<Object> out = feed("*0\r\n*-1\r\n*1\r\n$4\r\nPING\r\n");
        assertEquals(1, out.size());
        assertEquals(List.of("PING"), words(out.get(0)));
    }

    @Test
    void emptyBulkStringsAreArguments() {
        assertEquals(List.of("ECHO", ""), words(feed("*2\r\n$4\r\nECHO\r\n$0\r\n\r\n").get(0)));
    }

    @Test
    void unbalancedQuotesAreAProtocolError() {
        assertEquals("ERR Protocol error: unbalanced quotes in request", error(feed("set \"a b\r\n").get(0)));
    }

    @Test
    void aClosingQuoteMustEndTheWord() {
        assertEquals("ERR Protocol error: unbalanced quotes in request", error(feed("set \"a\"b c\r\n").get(0)));
    }

    @Test
    void badHeadersAreProtocolErrorsWordedAsRedisWordsThem() {
        assertEquals("ERR Protocol error: invalid multibulk length", error(new Fresh().feed("*x\r\n")));
        assertEquals("ERR Protocol error: invalid multibulk length", error(new Fresh().feed("*01\r\n")));
        assertEquals("ERR Protocol error: invalid multibulk length", error(new Fresh().feed("*1\n")));
        assertEquals("ERR Protocol error: expected '$', got '+'", error(new Fresh().feed("*1\r\n+PING\r\n")));
        assertEquals("ERR Protocol error: expected '$', got '\\x00'", error(new Fresh().feed("*1\r\n\0")));
        assertEquals("ERR Protocol error: invalid bulk length", error(new Fresh().feed("*1\r\n$-1\r\n")));
        assertEquals("ERR Protocol error: invalid bulk length", error(new Fresh().feed("*1\r\n$9999999999999999999\r\n")));
        assertEquals("ERR Protocol error: bulk string of 2 bytes not followed by CRLF",
                error(new Fresh().feed("*1\r\n$2\r\nabcd")));
    }

    @Test
    void aBulkLengthOverTheLimitIsRefusedFromItsHeaderAlone() {
        RespProtocolError refused = assertInstanceOf(RespProtocolError.class, new Fresh().feed("*1\r\n$101\r\n"));
        assertEquals("ERR Protocol error: invalid bulk length (more than kv.maxBulkBytes=100)", refused.message());
        assertTrue(refused.overLimit());
        assertEquals(1, words(new Fresh().feed("*1\r\n$100\r\n" + "X".repeat(100) + "\r\n")).size(),
                "exactly the limit is accepted");
    }

    @Test
    void anArgumentCountOverTheLimitIsRefused() {
        RespProtocolError refused = assertInstanceOf(RespProtocolError.class, new Fresh().feed("*9\r\n"));
        assertTrue(refused.overLimit());
        assertEquals("ERR Protocol error: invalid multibulk length (more than kv.maxArguments=8)", refused.message());
        assertTrue(assertInstanceOf(RespProtocolError.class, new Fresh().feed("a b c d e f g h i\r\n")).overLimit());
    }

    @Test
    void aCommandDeclaringMoreBytesThanTheLimitIsRefused() {
        String three100 = "*4\r\n$1\r\nX\r\n" + ("$100\r\n" + "Y".repeat(100) + "\r\n").repeat(2) + "$100\r\n";
        RespProtocolError refused = assertInstanceOf(RespProtocolError.class, new Fresh().feed(three100));
        assertEquals("ERR Protocol error: command larger than kv.maxCommandBytes=300", refused.message());
    }

    @Test
    void linesOverTheLimitAreRefusedWithoutWaitingForTheirEnd() {
        assertEquals("ERR Protocol error: too big inline request", error(new Fresh().feed("a".repeat(66))));
        assertNull(new Fresh().feedOrNull("a".repeat(65)), "the limit plus CRLF bytes decide; fewer may still be 64 and a CRLF");
        assertEquals("ERR Protocol error: too big mbulk count string", error(new Fresh().feed("*" + "1".repeat(66))));
        assertEquals("ERR Protocol error: too big bulk count string", error(new Fresh().feed("*1\r\n$" + "1".repeat(66))));
        assertEquals(List.of("a".repeat(64)), words(new Fresh().feed("a".repeat(64) + "\r\n")));
    }

    @Test
    void afterAnErrorTheRestOfTheInputIsDiscarded() {
        List<Object> out = feed("*1\r\n$4\r\nPING\r\n*z\r\n*1\r\n$4\r\nPING\r\n", "*1\r\n$4\r\nPING\r\n");
        assertEquals(2, out.size());
        assertEquals(List.of("PING"), words(out.get(0)));
        assertInstanceOf(RespProtocolError.class, out.get(1));
    }

    @Test
    void limitsOutOfRangeNameTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RespLimits(-1, 8, 64, 300));
        assertTrue(e.getMessage().contains("kv.maxBulkBytes=-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new RespLimits(100, 8, 64, 50));
        assertTrue(e.getMessage().contains("kv.maxCommandBytes=50"), e.getMessage());
    }

    @Test
    void aSmallHeapLowersTheDefaultLimits() {
        RespLimits small = RespLimits.forHeap(256L << 20);
        assertEquals(32L << 20, small.maxBulkBytes());
        assertEquals(64L << 20, small.maxCommandBytes());
        assertEquals(RespLimits.DEFAULTS, RespLimits.forHeap(64L << 30));
    }

    /** A decoder of its own for one input, returning its only output. */
    private static final class Fresh {
        private final EmbeddedChannel channel = new EmbeddedChannel(new RespDecoder(SMALL));

        Object feed(String input) {
            Object out = feedOrNull(input);
            if (out == null) {
                throw new AssertionError("no output for " + input);
            }
            return out;
        }

        Object feedOrNull(String input) {
            channel.writeInbound(Unpooled.copiedBuffer(input, StandardCharsets.ISO_8859_1));
            Object out = channel.readInbound();
            assertNull(channel.readInbound(), "more than one output");
            return out;
        }
    }
}
