package example.kv;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One node of a replicated key-value log, configured by arguments
 * {@code leader CLIENT_PORT FOLLOWER_HOST:PORT,...} or {@code follower PORT}, or, without
 * arguments, by system properties {@code kvrep.role=leader|follower}, {@code kvrep.port=N} and
 * (leader) {@code kvrep.followers=HOST:PORT,...}. The log is {@code DIR/kv.log} where DIR is
 * {@code -Dkvrep.data=DIR}, default {@code /data}: the node does not know whether it runs in a
 * simulation, hosted or in a VM; whoever starts it says where its disk is.
 */
public final class KvServer {
    private static final String USAGE = "usage: leader CLIENT_PORT HOST:PORT,HOST:PORT | follower PORT"
            + " | no arguments and -Dkvrep.role=leader|follower -Dkvrep.port=N [-Dkvrep.followers=HOST:PORT,...]"
            + " [-Dkvrep.data=DIR]";

    private KvServer() {
    }

    public static void main(String[] args) throws Exception {
        String[] config = args.length > 0 ? args : fromProperties();
        if (config.length < 2 || (config[0].equals("leader") && config.length < 3)) {
            System.err.println(USAGE);
            System.exit(2);
        }
        String role = config[0];
        if (!role.equals("leader") && !role.equals("follower")) {
            throw new IllegalArgumentException("role (kvrep.role) must be leader or follower: '" + role + "'");
        }
        int port = port(config[1]);
        List<InetSocketAddress> followers = role.equals("leader") ? addresses(config[2]) : List.of();
        Path file = Path.of(System.getProperty("kvrep.data", "/data"), "kv.log");
        DurableLog log = DurableLog.open(file);
        if (args.length == 0) {
            // Started by configuration (hosted, in a VM): say what it found, for whoever watches it.
            System.out.println("kvrep: " + role + " on port " + port + ", " + file + " holds "
                    + log.lastSeq() + " entries");
        }
        switch (role) {
            case "leader" -> new Leader(log, followers).serve(port);
            case "follower" -> new Follower(log).serve(port);
            default -> throw new IllegalStateException("checked above: " + role);
        }
    }

    private static String[] fromProperties() {
        String role = System.getProperty("kvrep.role", "");
        String port = System.getProperty("kvrep.port", "");
        String followers = System.getProperty("kvrep.followers");
        return followers == null ? new String[] {role, port} : new String[] {role, port, followers};
    }

    private static int port(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("port must be 1..65535: '" + text + "'");
    }

    /** {@code HOST:PORT,...}: socket addresses (the followers' replication ports, a leader). */
    static List<InetSocketAddress> addresses(String list) {
        List<InetSocketAddress> followers = new ArrayList<>();
        for (String f : list.split(",")) {
            int colon = f.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("follower must be HOST:PORT: '" + f + "'");
            }
            followers.add(new InetSocketAddress(f.substring(0, colon), port(f.substring(colon + 1))));
        }
        return followers;
    }
}
