package dev.libos.net.netty;

import dev.libos.api.net.Network;
import dev.libos.api.net.SocketEndpoint;
import io.netty.channel.IoHandle;
import java.io.IOException;

/** Something a {@link LibosIoHandler} can register: a handle with one libos socket under it. */
@SuppressWarnings("try") // close() is IoHandle's, which may throw anything
public interface LibosIoHandle extends IoHandle {
    /**
     * The socket this handle does I/O on. Called by the handler on the event loop thread when the
     * handle registers; a handle that has no socket yet opens it from {@code network} (the
     * handler's), so a channel created by reflection gets its socket from the group it joins.
     *
     * @throws java.nio.channels.ClosedChannelException if the handle was closed before
     */
    SocketEndpoint endpoint(Network network) throws IOException;
}
