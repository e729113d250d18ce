package dev.libos.net.tcp;

/**
 * The send and receive buffer capacities a connection starts with: the configuration's, or a
 * socket's SO_SNDBUF and SO_RCVBUF. The receive size also fixes the window scale offered in the
 * SYN (RFC 7323 section 2.2).
 */
public record BufferSizes(int sendBytes, int receiveBytes) {
    /** The smallest buffer a socket option may ask for (as Linux's SOCK_MIN_SNDBUF, rounded). */
    public static final int MIN_BYTES = 4096;

    public BufferSizes {
        require("sendBytes", sendBytes);
        require("receiveBytes", receiveBytes);
    }

    private static void require(String name, int bytes) {
        if (bytes < 1 || bytes > TcpConfig.MAX_BUFFER_BYTES) {
            throw new IllegalArgumentException(name + " must be in [1, " + TcpConfig.MAX_BUFFER_BYTES + "]: " + bytes);
        }
    }

    /** The configuration's sizes. */
    public static BufferSizes of(TcpConfig config) {
        return new BufferSizes(config.sendBufferBytes(), config.receiveBufferBytes());
    }

    /** Both sizes together, as buffer memory is committed. */
    public long totalBytes() {
        return (long) sendBytes + receiveBytes;
    }

    public BufferSizes withSendBytes(int bytes) {
        return new BufferSizes(bytes, receiveBytes);
    }

    public BufferSizes withReceiveBytes(int bytes) {
        return new BufferSizes(sendBytes, bytes);
    }
}
