package example.kv;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The commands the server knows, with their arity as Redis declares it: N > 0 means exactly N
 * words (the name included), -N means at least N.
 */
enum Command {
    PING(-1), ECHO(2), GET(2), SET(-3), DEL(-2), EXISTS(-2), INCR(2), DECR(2), INCRBY(3), DECRBY(3),
    MGET(-2), MSET(-3), EXPIRE(-3), PEXPIRE(-3), TTL(2), PTTL(2), DBSIZE(1), FLUSHALL(-1), INFO(-1),
    CONFIG(-2), QUIT(-1);

    private static final Map<String, Command> BY_NAME = new HashMap<>();

    static {
        for (Command command : values()) {
            BY_NAME.put(command.name(), command);
        }
    }

    private final int arity;
    /** The name as Redis writes it in errors. */
    final String lowerCaseName;

    Command(int arity) {
        this.arity = arity;
        this.lowerCaseName = name().toLowerCase(Locale.ROOT);
    }

    /** The command named {@code name} (any case), or null. */
    static Command named(byte[] name) {
        if (name.length > 8) {
            return null;
        }
        char[] upper = new char[name.length];
        for (int i = 0; i < name.length; i++) {
            int b = name[i] & 0xff;
            upper[i] = (char) (b >= 'a' && b <= 'z' ? b - ('a' - 'A') : b);
        }
        return BY_NAME.get(new String(upper));
    }

    boolean acceptsArgumentCount(int words) {
        return arity > 0 ? words == arity : words >= -arity;
    }
}
