package dev.libos.net.socket;

import dev.libos.hw.hosted.net.LinkFaults;

/** The socket contract over two libos TCP/IP stacks on an in-memory link. */
class StackNetworkTest extends NetworkContract {
    private TwoHosts twoHosts;

    @Override
    protected Hosts hosts() {
        twoHosts = new TwoHosts(LinkFaults.NONE.withDelay(20_000, 0), 42);
        return new Hosts(twoHosts.server, twoHosts.client, TwoHosts.inet(TwoHosts.SERVER));
    }

    @Override
    protected void releaseHosts() throws Exception {
        if (twoHosts != null) {
            twoHosts.close();
        }
    }
}
