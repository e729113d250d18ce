package example.kv;

import java.io.IOException;
import java.nio.file.Path;

/** {@code KvDump DIR}: prints {@code SEQ KEY} for each good record of {@code DIR/kv.log}, without changing it. */
public final class KvDump {
    private KvDump() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: KvDump DIR");
            System.exit(2);
        }
        for (LogEntry e : DurableLog.read(Path.of(args[0], "kv.log"))) {
            System.out.println(e.seq() + " " + e.key());
        }
    }
}
