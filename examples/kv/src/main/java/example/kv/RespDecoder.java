package example.kv;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes client requests of RESP2 (https://redis.io/docs/latest/develop/reference/protocol-spec/)
 * into {@link RespCommand}s: multibulk requests ({@code *N\r\n} then N bulk strings
 * {@code $LEN\r\nBYTES\r\n}), as clients send them, and inline commands (a line of words, as
 * typed into telnet; see {@link InlineSplitter}). Malformed or over-limit input becomes one
 * {@link RespProtocolError} (the error reply, worded as Redis words it); everything the client
 * sends after it is discarded, and the handler closes the connection.
 *
 * <p>Every declared length and count is checked against the {@link RespLimits} when its header
 * line arrives, before anything is reserved for it: a bulk string is copied out only once all of
 * its bytes are here, and the argument list grows with the arguments that arrived, never to the
 * declared count. So what a connection holds is bounded by what it sent and by the limits.
 *
 * <p>Why not netty-codec-redis: its {@code RedisArrayAggregator} sizes a list by the declared
 * count of an array before its elements arrive, it accepts nested arrays and every reply type
 * from a client, and its errors are exceptions; a server needs exactly the subset above.
 */
public final class RespDecoder extends ByteToMessageDecoder {
    private static final int INCOMPLETE = -1;
    private static final int TOO_LONG = -2;
    /** Stands for "not a number" from {@link #parseHeaderNumber}; no header may declare it. */
    private static final long INVALID = Long.MIN_VALUE;
    /** Arguments reserved up front for a multibulk request, whatever count it declares. */
    private static final int INITIAL_ARGUMENTS = 16;

    private enum State { COMMAND, BULK_HEADER, BULK_BODY, FAILED }

    private final RespLimits limits;
    private State state = State.COMMAND;
    /** How many bytes of the line at the reader index were searched for its LF already (no rescans). */
    private int lineSearched;
    private List<byte[]> arguments;
    private long argumentsLeft;
    private long commandBytes;
    private int bulkLength;

    public RespDecoder(RespLimits limits) {
        this.limits = limits;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        boolean progress = true;
        while (progress && in.isReadable()) {
            progress = switch (state) {
                case COMMAND -> in.getByte(in.readerIndex()) == '*' ? multibulkHeader(in, out) : inline(in, out);
                case BULK_HEADER -> bulkHeader(in, out);
                case BULK_BODY -> bulkBody(in, out);
                case FAILED -> {
                    in.skipBytes(in.readableBytes());
                    yield false;
                }
            };
        }
    }

    private boolean multibulkHeader(ByteBuf in, List<Object> out) {
        int eol = lineEnd(in);
        if (eol == INCOMPLETE) {
            return false;
        }
        if (eol == TOO_LONG) {
            return fail(in, out, "ERR Protocol error: too big mbulk count string", true);
        }
        long count = parseHeaderNumber(in, in.readerIndex() + 1, eol);
        if (count == INVALID) {
            return fail(in, out, "ERR Protocol error: invalid multibulk length", false);
        }
        in.readerIndex(eol + 1);
        if (count <= 0) {
            return true; // an empty or null array is no command (as Redis treats it)
        }
        if (count > limits.maxArguments()) {
            return fail(in, out, "ERR Protocol error: invalid multibulk length (more than kv.maxArguments="
                    + limits.maxArguments() + ")", true);
        }
        arguments = new ArrayList<>((int) Math.min(count, INITIAL_ARGUMENTS));
        argumentsLeft = count;
        commandBytes = 0;
        state = State.BULK_HEADER;
        return true;
    }

    private boolean bulkHeader(ByteBuf in, List<Object> out) {
        byte first = in.getByte(in.readerIndex());
        if (first != '$') {
            return fail(in, out, "ERR Protocol error: expected '$', got '" + printable(first) + "'", false);
        }
        int eol = lineEnd(in);
        if (eol == INCOMPLETE) {
            return false;
        }
        if (eol == TOO_LONG) {
            return fail(in, out, "ERR Protocol error: too big bulk count string", true);
        }
        long length = parseHeaderNumber(in, in.readerIndex() + 1, eol);
        if (length == INVALID || length < 0) {
            return fail(in, out, "ERR Protocol error: invalid bulk length", false);
        }
        if (length > limits.maxBulkBytes()) {
            return fail(in, out, "ERR Protocol error: invalid bulk length (more than kv.maxBulkBytes="
                    + limits.maxBulkBytes() + ")", true);
        }
        // commandBytes <= maxCommandBytes always, so the subtraction cannot overflow (an addition could).
        if (length > limits.maxCommandBytes() - commandBytes) {
            return fail(in, out, "ERR Protocol error: command larger than kv.maxCommandBytes="
                    + limits.maxCommandBytes(), true);
        }
        in.readerIndex(eol + 1);
        commandBytes += length;
        bulkLength = (int) length; // <= maxBulkBytes <= Integer.MAX_VALUE - 8 (RespLimits)
        state = State.BULK_BODY;
        return true;
    }

    private boolean bulkBody(ByteBuf in, List<Object> out) {
        if (in.readableBytes() < bulkLength + 2L) {
            return false;
        }
        int end = in.readerIndex() + bulkLength;
        if (in.getByte(end) != '\r' || in.getByte(end + 1) != '\n') {
            return fail(in, out, "ERR Protocol error: bulk string of " + bulkLength + " bytes not followed by CRLF", false);
        }
        byte[] argument = new byte[bulkLength];
        in.readBytes(argument);
        in.skipBytes(2);
        arguments.add(argument);
        if (--argumentsLeft == 0) {
            out.add(new RespCommand(arguments));
            arguments = null;
            state = State.COMMAND;
        } else {
            state = State.BULK_HEADER;
        }
        return true;
    }

    private boolean inline(ByteBuf in, List<Object> out) {
        int eol = lineEnd(in);
        if (eol == INCOMPLETE) {
            return false;
        }
        if (eol == TOO_LONG) {
            return fail(in, out, "ERR Protocol error: too big inline request", true);
        }
        int end = eol > in.readerIndex() && in.getByte(eol - 1) == '\r' ? eol - 1 : eol;
        if (end - in.readerIndex() > limits.maxLineBytes()) {
            return fail(in, out, "ERR Protocol error: too big inline request", true);
        }
        List<byte[]> words = InlineSplitter.split(in, in.readerIndex(), end);
        in.readerIndex(eol + 1);
        if (words == null) {
            return fail(in, out, "ERR Protocol error: unbalanced quotes in request", false);
        }
        if (words.size() > limits.maxArguments()) {
            return fail(in, out, "ERR Protocol error: more than kv.maxArguments=" + limits.maxArguments()
                    + " arguments in an inline request", true);
        }
        if (!words.isEmpty()) {
            out.add(new RespCommand(words)); // an empty line is no command (Redis skips it too)
        }
        return true;
    }

    /**
     * The index of the LF that ends the line at the reader index, {@link #INCOMPLETE} while it
     * may still come, {@link #TOO_LONG} when {@link RespLimits#maxLineBytes()} plus CRLF bytes
     * arrived without one. Bytes searched in an earlier call are not searched again.
     */
    private int lineEnd(ByteBuf in) {
        int limit = limits.maxLineBytes() + 2;
        int searchable = Math.min(in.readableBytes(), limit);
        int eol = lineSearched < searchable
                ? in.indexOf(in.readerIndex() + lineSearched, in.readerIndex() + searchable, (byte) '\n')
                : -1;
        if (eol >= 0) {
            lineSearched = 0;
            return eol;
        }
        lineSearched = searchable;
        if (searchable == limit) {
            lineSearched = 0;
            return TOO_LONG;
        }
        return INCOMPLETE;
    }

    /**
     * The decimal number in {@code [from, eol - 1)}, which must end with CR before the LF at
     * {@code eol}: an optional '-', then digits without a leading zero (as Redis's string2ll
     * accepts them), at most 18 of them, so it cannot overflow. {@link #INVALID} otherwise.
     */
    private static long parseHeaderNumber(ByteBuf in, int from, int eol) {
        int end = eol - 1;
        if (end < from || in.getByte(end) != '\r') {
            return INVALID;
        }
        boolean negative = in.getByte(from) == '-';
        int digits = negative ? from + 1 : from;
        int count = end - digits;
        if (count < 1 || count > 18 || (count > 1 && in.getByte(digits) == '0')) {
            return INVALID;
        }
        long value = 0;
        for (int i = digits; i < end; i++) {
            int digit = in.getByte(i) - '0';
            if (digit < 0 || digit > 9) {
                return INVALID;
            }
            value = value * 10 + digit;
        }
        return negative ? -value : value;
    }

    private boolean fail(ByteBuf in, List<Object> out, String message, boolean overLimit) {
        in.skipBytes(in.readableBytes());
        arguments = null;
        state = State.FAILED;
        out.add(new RespProtocolError(message, overLimit));
        return false;
    }

    /** A byte as it may appear inside a one-line error reply. */
    static String printable(byte b) {
        return b >= 0x20 && b < 0x7f ? Character.toString(b) : String.format("\\x%02x", b & 0xff);
    }
}
