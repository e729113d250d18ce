package example.kv;

import java.net.InetSocketAddress;

/**
 * A command-line client: {@code KvPut HOST:PORT PREFIX COUNT [SECONDS]} writes
 * {@code PREFIX-1 .. PREFIX-COUNT} through {@link KvClient}, retrying a write that was not
 * acknowledged (a replica down) until it is or SECONDS (default 30) have passed, and prints
 * {@code acked KEY SEQ} for each acknowledged write. Exits 1 if a write was never acknowledged.
 */
public final class KvPut {
    private KvPut() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 3) {
            System.err.println("usage: KvPut HOST:PORT PREFIX COUNT [SECONDS]");
            System.exit(2);
        }
        InetSocketAddress leader = KvServer.addresses(args[0]).getFirst();
        int count = Integer.parseInt(args[2]);
        long deadline = System.nanoTime() + (args.length > 3 ? Long.parseLong(args[3]) : 30) * 1_000_000_000L;
        try (KvClient client = new KvClient(leader)) {
            for (int i = 1; i <= count; i++) {
                String key = args[1] + "-" + i;
                long seq;
                while ((seq = client.put(key, "value of " + key)) < 0) {
                    if (System.nanoTime() - deadline > 0) {
                        System.err.println("kvput: " + key + " not acknowledged before the deadline");
                        System.exit(1);
                    }
                    Thread.sleep(200);
                }
                System.out.println("acked " + key + " " + seq);
            }
        }
    }
}
