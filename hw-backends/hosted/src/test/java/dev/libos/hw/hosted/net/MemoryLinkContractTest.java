package dev.libos.hw.hosted.net;

import dev.libos.api.time.ManualClock;

class MemoryLinkContractTest extends NetDeviceContractTest {
    @Override
    protected Pair connect(ManualClock clock) {
        MemoryLink link = new MemoryLink("link", 1, clock, LinkFaults.NONE, 1);
        return new Pair(link.a(), link.b());
    }
}
