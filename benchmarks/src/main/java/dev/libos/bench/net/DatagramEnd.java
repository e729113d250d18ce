package dev.libos.bench.net;

import java.io.IOException;
import java.nio.ByteBuffer;

/** A UDP socket connected to its peer, with blocking calls. */
interface DatagramEnd extends AutoCloseable {
    /** Sends {@code src} as one datagram to the peer. */
    void send(ByteBuffer src) throws IOException;

    /** Waits for one datagram from the peer and puts it into {@code dst} (truncated if it does not fit). */
    void receive(ByteBuffer dst) throws IOException;

    @Override
    void close() throws IOException;
}
