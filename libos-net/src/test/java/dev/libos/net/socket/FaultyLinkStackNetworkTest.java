package dev.libos.net.socket;

import dev.libos.hw.hosted.net.LinkFaults;

/**
 * The socket contract over two stacks on a link that loses, duplicates, delays and reorders
 * frames: TCP must still deliver every byte once and in order (the 8 MiB transfer checks its
 * SHA-256), and close cleanly. The link's seed is printed.
 *
 * <p>No corruption here: the in-memory link has no Ethernet frame check sequence, and two bit
 * flips in the same bit of two 16-bit words cancel in the Internet checksum (RFC 1071), so a
 * corrupting link without FCS can hand TCP a bad segment that no TCP can detect (seen: two flips
 * of bit 3, 16 bytes apart). Corrupted frames reaching the stack are covered by the fuzz tests.
 */
class FaultyLinkStackNetworkTest extends NetworkContract {
    private TwoHosts twoHosts;

    @Override
    protected Hosts hosts() {
        long seed = System.nanoTime();
        System.out.println("FaultyLinkStackNetworkTest link seed " + seed);
        LinkFaults faults = LinkFaults.NONE.withDelay(50_000, 20_000).withLoss(0.01).withDuplication(0.01)
                .withReordering(0.02, 100_000);
        twoHosts = new TwoHosts(faults, seed);
        return new Hosts(twoHosts.server, twoHosts.client, TwoHosts.inet(TwoHosts.SERVER));
    }

    @Override
    protected void releaseHosts() {
        if (twoHosts != null) {
            twoHosts.close();
        }
    }
}
