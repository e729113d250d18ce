package example.kv;

import java.util.concurrent.atomic.LongAdder;

/** Counters of one server, shown by INFO. */
public final class KvStats {
    final LongAdder connectionsReceived = new LongAdder();
    final LongAdder connectedClients = new LongAdder();
    final LongAdder commandsProcessed = new LongAdder();
    /** Connections closed because of malformed or over-limit input. */
    final LongAdder protocolErrors = new LongAdder();
    /** Of those, the requests a {@link RespLimits} limit refused. */
    final LongAdder limitRefusals = new LongAdder();

    /** Exceptions that reached the handler other than I/O errors: a bug if ever non-zero. */
    final LongAdder internalErrors = new LongAdder();

    public long internalErrors() {
        return internalErrors.sum();
    }

    public long protocolErrors() {
        return protocolErrors.sum();
    }

    public long limitRefusals() {
        return limitRefusals.sum();
    }

    public long commandsProcessed() {
        return commandsProcessed.sum();
    }
}
