package example.kv;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;
import io.netty.buffer.ByteBuf;

/**
 * Runs commands against a {@link KvStore} and writes their replies, with Redis's semantics and
 * error texts for the subset the server offers (see the README of examples/kv).
 */
final class KvCommands {
    /** Redis cuts the name and arguments of an unknown command at 128 characters in its error. */
    private static final int ERROR_ECHO_CHARS = 128;
    private static final String NOT_AN_INTEGER = "ERR value is not an integer or out of range";
    private static final String SYNTAX_ERROR = "ERR syntax error";

    /** Whether the connection stays open after a command. */
    enum Outcome { CONTINUE, CLOSE }

    private final KvStore store;
    private final KvStats stats;
    private final LongSupplier clockMillis;
    private final long startedAtMillis;

    KvCommands(KvStore store, KvStats stats, LongSupplier clockMillis) {
        this.store = store;
        this.stats = stats;
        this.clockMillis = clockMillis;
        this.startedAtMillis = clockMillis.getAsLong();
    }

    Outcome execute(RespCommand command, ByteBuf out) {
        stats.commandsProcessed.increment();
        List<byte[]> args = command.arguments();
        Command known = Command.named(args.get(0));
        if (known == null) {
            RespReplies.error(out, unknownCommand(command));
            return Outcome.CONTINUE;
        }
        if (!known.acceptsArgumentCount(args.size())) {
            RespReplies.error(out, "ERR wrong number of arguments for '" + known.lowerCaseName + "' command");
            return Outcome.CONTINUE;
        }
        long now = clockMillis.getAsLong();
        switch (known) {
            case PING -> ping(args, out);
            case ECHO -> RespReplies.bulk(out, args.get(1));
            case GET -> RespReplies.bulk(out, store.get(new Key(args.get(1)), now));
            case SET -> set(args, out, now);
            case DEL -> RespReplies.integer(out, store.delete(keys(args, 1, 1), now));
            case EXISTS -> exists(args, out, now);
            case INCR -> increment(args, 1, out, now);
            case DECR -> increment(args, -1, out, now);
            case INCRBY, DECRBY -> incrementBy(args, known == Command.DECRBY, out, now);
            case MGET -> mget(args, out, now);
            case MSET -> mset(args, out, now);
            case EXPIRE -> expire(args, 1000, known, out, now);
            case PEXPIRE -> expire(args, 1, known, out, now);
            case TTL -> ttl(args, true, out, now);
            case PTTL -> ttl(args, false, out, now);
            case DBSIZE -> RespReplies.integer(out, store.size());
            case FLUSHALL -> flushAll(args, out);
            case INFO -> info(args, out, now);
            case CONFIG -> config(args, out);
            case QUIT -> {
                RespReplies.ok(out);
                return Outcome.CLOSE;
            }
        }
        return Outcome.CONTINUE;
    }

    private static String unknownCommand(RespCommand command) {
        StringBuilder args = new StringBuilder();
        for (int i = 1; i < command.size() && args.length() < ERROR_ECHO_CHARS; i++) {
            String arg = command.text(i);
            int room = ERROR_ECHO_CHARS - args.length();
            args.append('\'').append(arg, 0, Math.min(arg.length(), room)).append("' ");
        }
        String name = command.text(0);
        return "ERR unknown command '" + name.substring(0, Math.min(name.length(), ERROR_ECHO_CHARS))
                + "', with args beginning with: " + args;
    }

    private static void ping(List<byte[]> args, ByteBuf out) {
        if (args.size() > 2) {
            RespReplies.error(out, "ERR wrong number of arguments for 'ping' command");
        } else if (args.size() == 2) {
            RespReplies.bulk(out, args.get(1));
        } else {
            RespReplies.simple(out, "PONG");
        }
    }

    /** SET key value [NX|XX] [EX seconds|PX milliseconds|KEEPTTL]. */
    private void set(List<byte[]> args, ByteBuf out, long now) {
        KvStore.Condition condition = KvStore.Condition.ALWAYS;
        long expireAt = KvStore.NEVER;
        boolean keepTtl = false;
        boolean expirySet = false;
        for (int i = 3; i < args.size(); i++) {
            String option = upper(args.get(i));
            boolean hasValue = i + 1 < args.size();
            if (option.equals("NX") && condition != KvStore.Condition.IF_PRESENT) {
                condition = KvStore.Condition.IF_ABSENT;
            } else if (option.equals("XX") && condition != KvStore.Condition.IF_ABSENT) {
                condition = KvStore.Condition.IF_PRESENT;
            } else if (option.equals("KEEPTTL") && !expirySet) {
                keepTtl = true;
                expirySet = true;
            } else if ((option.equals("EX") || option.equals("PX")) && !expirySet && hasValue) {
                Long amount = RespNumbers.parseLong(args.get(++i));
                if (amount == null) {
                    RespReplies.error(out, NOT_AN_INTEGER);
                    return;
                }
                expireAt = expiryInstant(amount, option.equals("EX") ? 1000 : 1, now);
                if (amount <= 0 || expireAt == KvStore.NEVER) {
                    RespReplies.error(out, "ERR invalid expire time in 'set' command");
                    return;
                }
                expirySet = true;
            } else {
                RespReplies.error(out, SYNTAX_ERROR);
                return;
            }
        }
        if (store.set(new Key(args.get(1)), args.get(2), expireAt, condition, keepTtl, now)) {
            RespReplies.ok(out);
        } else {
            RespReplies.nullBulk(out);
        }
    }

    /** {@code now + amount * unitMillis}, or {@link KvStore#NEVER} when that does not fit a long. */
    private static long expiryInstant(long amount, long unitMillis, long now) {
        long millis;
        try {
            millis = Math.multiplyExact(amount, unitMillis);
            long at = Math.addExact(now, millis);
            return at == KvStore.NEVER ? KvStore.NEVER : at;
        } catch (ArithmeticException tooFar) {
            return KvStore.NEVER;
        }
    }

    private void exists(List<byte[]> args, ByteBuf out, long now) {
        int count = 0;
        for (int i = 1; i < args.size(); i++) {
            if (store.exists(new Key(args.get(i)), now)) {
                count++; // a key named twice counts twice, as in Redis
            }
        }
        RespReplies.integer(out, count);
    }

    private void increment(List<byte[]> args, long delta, ByteBuf out, long now) {
        KvStore.Increment result = store.incrementBy(new Key(args.get(1)), delta, now);
        switch (result.status()) {
            case DONE -> RespReplies.integer(out, result.value());
            case NOT_AN_INTEGER -> RespReplies.error(out, NOT_AN_INTEGER);
            case OVERFLOW -> RespReplies.error(out, "ERR increment or decrement would overflow");
        }
    }

    private void incrementBy(List<byte[]> args, boolean negate, ByteBuf out, long now) {
        Long delta = RespNumbers.parseLong(args.get(2));
        if (delta == null || (negate && delta == Long.MIN_VALUE)) {
            RespReplies.error(out, delta == null ? NOT_AN_INTEGER : "ERR decrement would overflow");
            return;
        }
        increment(args, negate ? -delta : delta, out, now);
    }

    private void mget(List<byte[]> args, ByteBuf out, long now) {
        RespReplies.arrayHeader(out, args.size() - 1);
        for (int i = 1; i < args.size(); i++) {
            RespReplies.bulk(out, store.get(new Key(args.get(i)), now));
        }
    }

    /** MSET key value [key value ...]: sets each pair in turn (not atomically across keys, unlike Redis). */
    private void mset(List<byte[]> args, ByteBuf out, long now) {
        if (args.size() % 2 == 0) {
            RespReplies.error(out, "ERR wrong number of arguments for 'mset' command");
            return;
        }
        for (int i = 1; i < args.size(); i += 2) {
            store.set(new Key(args.get(i)), args.get(i + 1), KvStore.NEVER, KvStore.Condition.ALWAYS, false, now);
        }
        RespReplies.ok(out);
    }

    /** EXPIRE key seconds [NX|XX|GT|LT] (PEXPIRE: milliseconds). */
    private void expire(List<byte[]> args, long unitMillis, Command command, ByteBuf out, long now) {
        Long amount = RespNumbers.parseLong(args.get(2));
        if (amount == null) {
            RespReplies.error(out, NOT_AN_INTEGER);
            return;
        }
        KvStore.ExpireCondition condition = KvStore.ExpireCondition.ALWAYS;
        for (int i = 3; i < args.size(); i++) {
            String option = upper(args.get(i));
            KvStore.ExpireCondition next = switch (option) {
                case "NX" -> KvStore.ExpireCondition.IF_NO_EXPIRY;
                case "XX" -> KvStore.ExpireCondition.IF_HAS_EXPIRY;
                case "GT" -> KvStore.ExpireCondition.IF_GREATER;
                case "LT" -> KvStore.ExpireCondition.IF_LESS;
                default -> null;
            };
            if (next == null) {
                RespReplies.error(out, "ERR Unsupported option " + new String(args.get(i), StandardCharsets.ISO_8859_1));
                return;
            }
            if (condition != KvStore.ExpireCondition.ALWAYS && condition != next) {
                RespReplies.error(out, condition == KvStore.ExpireCondition.IF_NO_EXPIRY || next == KvStore.ExpireCondition.IF_NO_EXPIRY
                        ? "ERR NX and XX, GT or LT options at the same time are not compatible"
                        : "ERR GT and LT options at the same time are not compatible");
                return;
            }
            condition = next;
        }
        long expireAt = amount <= 0 ? now : expiryInstant(amount, unitMillis, now);
        if (expireAt == KvStore.NEVER) {
            RespReplies.error(out, "ERR invalid expire time in '" + command.lowerCaseName + "' command");
            return;
        }
        RespReplies.integer(out, store.expire(new Key(args.get(1)), expireAt, condition, now) ? 1 : 0);
    }

    private void ttl(List<byte[]> args, boolean seconds, ByteBuf out, long now) {
        long millis = store.ttlMillis(new Key(args.get(1)), now);
        // Redis rounds TTL's seconds to the nearest.
        RespReplies.integer(out, millis < 0 || !seconds ? millis : (millis + 500) / 1000);
    }

    private void flushAll(List<byte[]> args, ByteBuf out) {
        if (args.size() > 2 || (args.size() == 2 && !List.of("ASYNC", "SYNC").contains(upper(args.get(1))))) {
            RespReplies.error(out, SYNTAX_ERROR);
            return;
        }
        store.clear();
        RespReplies.ok(out);
    }

    /** INFO [section]: server, clients, stats and keyspace, as "name:value" lines under "# Section" titles. */
    private void info(List<byte[]> args, ByteBuf out, long now) {
        String wanted = args.size() > 1 ? args.get(1).length == 0 ? "" : new String(args.get(1), StandardCharsets.ISO_8859_1)
                .toLowerCase(Locale.ROOT) : "default";
        boolean all = List.of("default", "all", "everything").contains(wanted);
        StringBuilder text = new StringBuilder();
        section(text, all || wanted.equals("server"), "Server",
                "kv_version:1", "uptime_in_seconds:" + (now - startedAtMillis) / 1000);
        section(text, all || wanted.equals("clients"), "Clients", "connected_clients:" + stats.connectedClients.sum());
        section(text, all || wanted.equals("stats"), "Stats",
                "total_connections_received:" + stats.connectionsReceived.sum(),
                "total_commands_processed:" + stats.commandsProcessed.sum(),
                "expired_keys:" + store.expiredKeys(),
                "kv_protocol_errors:" + stats.protocolErrors.sum(),
                "kv_limit_refusals:" + stats.limitRefusals.sum(),
                "kv_internal_errors:" + stats.internalErrors.sum());
        section(text, all || wanted.equals("keyspace"), "Keyspace", store.size() == 0 ? null : "db0:keys=" + store.size());
        RespReplies.bulk(out, text.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    private static void section(StringBuilder text, boolean wanted, String title, String... lines) {
        if (!wanted) {
            return;
        }
        if (!text.isEmpty()) {
            text.append("\r\n");
        }
        text.append("# ").append(title).append("\r\n");
        for (String line : lines) {
            if (line != null) {
                text.append(line).append("\r\n");
            }
        }
    }

    /**
     * CONFIG GET parameter: the server has no configuration in Redis's sense; it answers the two
     * parameters redis-benchmark asks for at start ("save", "appendonly") truthfully (it keeps no
     * snapshot and no log) and an empty list for the others, as Redis does for unknown ones.
     */
    private static void config(List<byte[]> args, ByteBuf out) {
        if (!upper(args.get(1)).equals("GET") || args.size() != 3) {
            RespReplies.error(out, "ERR CONFIG subcommand not supported (only CONFIG GET parameter)");
            return;
        }
        String parameter = new String(args.get(2), StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        String value = switch (parameter) {
            case "save" -> "";
            case "appendonly" -> "no";
            default -> null;
        };
        if (value == null) {
            RespReplies.arrayHeader(out, 0);
            return;
        }
        RespReplies.arrayHeader(out, 2);
        RespReplies.bulk(out, parameter.getBytes(StandardCharsets.ISO_8859_1));
        RespReplies.bulk(out, value.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static List<Key> keys(List<byte[]> args, int from, int step) {
        List<Key> keys = new ArrayList<>(args.size() - from);
        for (int i = from; i < args.size(); i += step) {
            keys.add(new Key(args.get(i)));
        }
        return keys;
    }

    private static String upper(byte[] word) {
        return new String(word, StandardCharsets.ISO_8859_1).toUpperCase(Locale.ROOT);
    }
}
