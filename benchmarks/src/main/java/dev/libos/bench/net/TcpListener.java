package dev.libos.bench.net;

import java.io.IOException;

/** A listening TCP socket on the server host of a {@link NetSide}, and the way the client host reaches it. */
interface TcpListener extends AutoCloseable {
    /** Waits for the next connection; the returned end has TCP_NODELAY set. Call on the server worker. */
    StreamEnd accept() throws IOException;

    /** Connects from the client host to this listener; the returned end has TCP_NODELAY set. Call on the client worker. */
    StreamEnd connect() throws IOException;

    @Override
    void close() throws IOException;
}
