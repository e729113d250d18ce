package example.kv;

/**
 * What {@link RespDecoder} emits instead of a command when the input is not RESP it accepts:
 * the error reply to send before the connection is closed.
 *
 * @param message the error reply's text, starting with its code ({@code ERR Protocol error: ...})
 * @param overLimit whether a {@link RespLimits} limit refused the request (rather than bad syntax)
 */
public record RespProtocolError(String message, boolean overLimit) {
}
