package example.kv;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A follower: tells a connecting leader the last sequence number in its log, then appends each
 * entry it is sent, fsyncs, and acknowledges it.
 *
 * <p>The planted bug ({@code -Dkv.bug.ackBeforeFsync=true}): the follower acknowledges an entry
 * as soon as it is written and leaves the fsync to a group commit every 20 ms, so a crash in
 * between loses a write the client was told is safe.
 */
public final class Follower {
    public static final String BUG_PROPERTY = "kv.bug.ackBeforeFsync";
    private static final long GROUP_COMMIT_MILLIS = 20;

    private final DurableLog log;
    private final boolean ackBeforeFsync = Boolean.getBoolean(BUG_PROPERTY);

    public Follower(DurableLog log) {
        this.log = log;
    }

    public void serve(int port) throws IOException {
        if (ackBeforeFsync) {
            Thread.ofVirtual().name("group-commit").start(this::groupCommit);
        }
        try (ServerSocket listener = new ServerSocket(port)) {
            while (true) {
                Socket leader = listener.accept();
                Thread.ofVirtual().name("replica").start(() -> serveLeader(leader));
            }
        }
    }

    private void serveLeader(Socket socket) {
        try (socket) {
            socket.setSoTimeout(5 * Leader.TIMEOUT_MILLIS);
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
            out.writeLong(log.lastSeq());
            out.flush();
            while (true) {
                LogEntry e = Wire.readEntry(in);
                synchronized (log) {
                    if (e.seq() == log.lastSeq() + 1) {
                        log.append(e);
                        if (!ackBeforeFsync) {
                            log.sync();
                        }
                    }
                }
                out.writeLong(Math.min(e.seq(), log.lastSeq()));
                out.flush();
            }
        } catch (IOException e) {
            // the leader went away; it reconnects
        }
    }

    private void groupCommit() {
        try {
            while (true) {
                Thread.sleep(GROUP_COMMIT_MILLIS);
                log.sync();
            }
        } catch (IOException | InterruptedException e) {
            // the disk or the host is gone
        }
    }
}
