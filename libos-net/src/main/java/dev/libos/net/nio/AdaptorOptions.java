package dev.libos.net.nio;

import java.io.IOException;
import java.net.SocketException;
import java.net.SocketOption;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NetworkChannel;

/** Option access for the socket adaptors: channel failures become the {@link SocketException}s java.net promises. */
final class AdaptorOptions {
    private AdaptorOptions() {
    }

    static <T> void set(NetworkChannel channel, SocketOption<T> name, T value) throws SocketException {
        try {
            channel.setOption(name, value);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            throw new SocketException(e.getMessage());
        } catch (ClosedChannelException e) {
            throw new SocketException("Socket is closed");
        } catch (SocketException e) {
            throw e;
        } catch (IOException e) {
            throw new SocketException(e.toString());
        }
    }

    static <T> T get(NetworkChannel channel, SocketOption<T> name) throws SocketException {
        try {
            return channel.getOption(name);
        } catch (UnsupportedOperationException e) {
            throw new SocketException(e.getMessage());
        } catch (ClosedChannelException e) {
            throw new SocketException("Socket is closed");
        } catch (SocketException e) {
            throw e;
        } catch (IOException e) {
            throw new SocketException(e.toString());
        }
    }
}
