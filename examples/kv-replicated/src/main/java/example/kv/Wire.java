package example.kv;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** The replication and client messages, over DataInput/DataOutput streams. */
final class Wire {
    private Wire() {
    }

    static void writeEntry(DataOutputStream out, LogEntry e) throws IOException {
        out.writeLong(e.seq());
        out.writeUTF(e.key());
        out.writeUTF(e.value());
        out.flush();
    }

    static LogEntry readEntry(DataInputStream in) throws IOException {
        long seq = in.readLong();
        return new LogEntry(seq, in.readUTF(), in.readUTF());
    }
}
