package dev.libos.hw.hosted.net;

import dev.libos.api.time.ManualClock;

class MemorySwitchContractTest extends NetDeviceContractTest {
    @Override
    protected Pair connect(ManualClock clock) {
        MemorySwitch sw = new MemorySwitch("sw", 1, 3, clock, LinkFaults.NONE, 1);
        return new Pair(sw.port(0), sw.port(2));
    }
}
