package example.kv;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A replicated key-value log: {@code leader CLIENT_PORT FOLLOWER_HOST:PORT,...} or
 * {@code follower PORT}. The log is {@code /data/kv.log} (or {@code -Dkv.data=DIR}).
 */
public final class KvServer {
    private KvServer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: leader CLIENT_PORT HOST:PORT,HOST:PORT | follower PORT");
            System.exit(2);
        }
        Path file = Path.of(System.getProperty("kv.data", "/data"), "kv.log");
        DurableLog log = DurableLog.open(file);
        switch (args[0]) {
            case "leader" -> {
                List<InetSocketAddress> followers = new ArrayList<>();
                for (String f : args[2].split(",")) {
                    int colon = f.lastIndexOf(':');
                    followers.add(new InetSocketAddress(f.substring(0, colon), Integer.parseInt(f.substring(colon + 1))));
                }
                new Leader(log, followers).serve(Integer.parseInt(args[1]));
            }
            case "follower" -> new Follower(log).serve(Integer.parseInt(args[1]));
            default -> throw new IllegalArgumentException("role must be leader or follower: " + args[0]);
        }
    }
}
