package example.kv;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** The client API: {@link #put} returns a sequence number only for a write every replica acknowledged. */
public final class KvClient implements AutoCloseable {
    private final InetSocketAddress leader;
    private Socket socket;
    private DataInputStream in;
    private DataOutputStream out;

    public KvClient(InetSocketAddress leader) {
        this.leader = leader;
    }

    /**
     * Writes {@code key = value}.
     *
     * @return the write's sequence number once acknowledged, or -1 when it was not (the leader
     *     or a follower was unreachable within the timeout; the write may or may not exist)
     */
    public long put(String key, String value) {
        try {
            if (socket == null) {
                socket = new Socket();
                socket.connect(leader, Leader.TIMEOUT_MILLIS);
                socket.setSoTimeout(3 * Leader.TIMEOUT_MILLIS);
                in = new DataInputStream(socket.getInputStream());
                out = new DataOutputStream(socket.getOutputStream());
            }
            out.writeUTF(key);
            out.writeUTF(value);
            out.flush();
            return in.readLong();
        } catch (IOException e) {
            close();
            return -1;
        }
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a broken connection
            }
            socket = null;
        }
    }
}
