package example.kv;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One decoded request: its arguments as sent, the command name first (never empty).
 *
 * @param arguments at least one; the arrays are owned by the command
 */
public record RespCommand(List<byte[]> arguments) {
    public RespCommand {
        if (arguments.isEmpty()) {
            throw new IllegalArgumentException("a command has at least its name");
        }
    }

    /** Argument {@code index} as ISO-8859-1 text (one char per byte, so any bytes round-trip). */
    public String text(int index) {
        return new String(arguments.get(index), StandardCharsets.ISO_8859_1);
    }

    public int size() {
        return arguments.size();
    }
}
