package example.kv;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;

/**
 * The leader: a client's write is appended to the log and fsynced, sent to every follower,
 * and answered with its sequence number only once every follower has acknowledged it (each
 * after its own fsync). One replicator thread per follower (re)connects, learns how far the
 * follower's log goes, and sends it everything after that.
 */
public final class Leader {
    static final int TIMEOUT_MILLIS = 1000;

    private final DurableLog log;
    private final List<InetSocketAddress> followers;
    private final long[] acked;

    public Leader(DurableLog log, List<InetSocketAddress> followers) {
        this.log = log;
        this.followers = followers;
        this.acked = new long[followers.size()];
    }

    public void serve(int clientPort) throws IOException {
        for (int f = 0; f < followers.size(); f++) {
            int follower = f;
            Thread.ofVirtual().name("replicator-" + f).start(() -> replicate(follower));
        }
        try (ServerSocket listener = new ServerSocket(clientPort)) {
            while (true) {
                Socket client = listener.accept();
                Thread.ofVirtual().name("client").start(() -> serveClient(client));
            }
        }
    }

    private void serveClient(Socket socket) {
        try (socket) {
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
            while (true) {
                String key = in.readUTF();
                String value = in.readUTF();
                long seq = write(key, value);
                awaitAcks(seq);
                out.writeLong(seq);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // the client went away; its unanswered write is not acknowledged
        }
    }

    private long write(String key, String value) throws IOException {
        synchronized (this) {
            long seq = log.lastSeq() + 1;
            log.append(new LogEntry(seq, key, value));
            log.sync();
            notifyAll();
            return seq;
        }
    }

    private synchronized void awaitAcks(long seq) throws InterruptedException {
        while (!ackedByAll(seq)) {
            wait(TIMEOUT_MILLIS);
        }
    }

    private boolean ackedByAll(long seq) {
        for (long a : acked) {
            if (a < seq) {
                return false;
            }
        }
        return true;
    }

    private void replicate(int f) {
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(followers.get(f), TIMEOUT_MILLIS);
                socket.setSoTimeout(TIMEOUT_MILLIS);
                DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
                long sent = in.readLong(); // how far the follower's log goes
                while (true) {
                    List<LogEntry> pending;
                    synchronized (this) {
                        pending = log.after(sent);
                        if (pending.isEmpty()) {
                            wait(TIMEOUT_MILLIS / 4);
                            continue;
                        }
                    }
                    for (LogEntry e : pending) {
                        Wire.writeEntry(out, e);
                        long ack = in.readLong();
                        sent = ack;
                        synchronized (this) {
                            acked[f] = Math.max(acked[f], ack);
                            notifyAll();
                        }
                    }
                }
            } catch (IOException e) {
                // reconnect below
            } catch (InterruptedException e) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
