package dev.libos.net.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.libos.api.device.NetDevice;
import dev.libos.api.device.Poller;
import dev.libos.api.thread.CpuStats;
import dev.libos.api.thread.Cpus;
import dev.libos.api.time.ManualClock;
import dev.libos.net.ip.NetInterface;
import dev.libos.net.ip.NetStack;
import dev.libos.net.ip.NetStackSettings;
import dev.libos.net.tcp.TcpConfig;
import dev.libos.net.wire.Ipv4Address;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** What the stack's poller tells an idle CPU ({@link StackNetwork#idleUntil}): poll periodically, sleep, or poll now. */
class StackNetworkIdleTest {
    private static final long NOW = 5_000_000_000L;
    private final ManualClock clock = new ManualClock(NOW);
    private final WakeableDevice device = new WakeableDevice();
    private final StackNetwork network = stack(device);

    private StackNetwork stack(NetDevice nic) {
        NetStack ip = new NetStack(NetStackSettings.DEFAULTS);
        NetInterface iface = ip.addInterface(nic);
        ip.configure(iface, Ipv4Address.of(10, 0, 0, 1), 24);
        return StackNetwork.create(ip, TcpConfig.defaults(), clock, new SplittableRandom(1), 16, 1L << 20);
    }

    @Test
    void withoutACpuThatCanBeWokenItPollsPeriodically() {
        device.supported = true;
        assertEquals(Poller.POLL_PERIODICALLY, network.idleUntil(NOW));
        assertEquals(0, device.arms, "nothing armed when nobody listens");
    }

    @Test
    void aDeviceThatCannotWakeTheCpuKeepsThePeriodicPoll() throws Exception {
        device.supported = false;
        try (AutoCloseable ignored = network.pollOn(new OneCpu(), 0)) {
            assertEquals(Poller.POLL_PERIODICALLY, network.idleUntil(NOW));
            assertEquals(1, device.arms, "armed all the same: a first interrupt proves the wakeups");
        }
    }

    @Test
    void devicesThatCanWakeTheCpuAreArmedAndTheCoarseTimersBoundTheSleep() throws Exception {
        device.supported = true;
        try (AutoCloseable ignored = network.pollOn(new OneCpu(), 0)) {
            assertEquals(NOW + StackNetwork.HOUSEKEEPING_NANOS, network.idleUntil(NOW));
            assertEquals(1, device.arms);
        }
    }

    @Test
    void framesFoundWhileArmingMeanPollNow() throws Exception {
        device.supported = true;
        device.pendingAtArm = true;
        try (AutoCloseable ignored = network.pollOn(new OneCpu(), 0)) {
            assertEquals(NOW, network.idleUntil(NOW));
        }
    }

    @Test
    void aPollThatFindsTheStackHeldReportsNoWorkAndTheReleaseWakesTheCpu() throws Exception {
        OneCpu cpu = new OneCpu();
        try (AutoCloseable ignored = network.pollOn(cpu, 0)) {
            int wakesBefore = cpu.wakes;
            int[] polled = new int[1];
            Thread poller = new Thread(() -> polled[0] = network.poll(NOW));
            network.withStack(() -> {
                poller.start();
                try {
                    poller.join(); // the poll runs while this thread holds the stack
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                assertEquals(wakesBefore, cpu.wakes, "no wakeup while the stack is held");
                return null;
            });
            assertEquals(0, polled[0], "the missed poll is no work: the CPU may idle");
            assertEquals(wakesBefore + 1, cpu.wakes, "the release woke the polling CPU");
            network.withStack(() -> null);
            assertEquals(wakesBefore + 1, cpu.wakes, "a release after no missed poll wakes nobody");
        }
    }

    @Test
    void withoutACpuToWakeAMissedPollStillReportsWork() throws Exception {
        int[] polled = new int[1];
        network.withStack(() -> {
            Thread poller = new Thread(() -> polled[0] = network.poll(NOW));
            poller.start();
            try {
                poller.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            return null;
        });
        assertEquals(1, polled[0], "polled by hand: the caller must come back");
    }

    /** A NIC that can wake its poller; nothing ever arrives. */
    private static final class WakeableDevice implements NetDevice {
        boolean supported;
        boolean pendingAtArm;
        int arms;

        @Override
        public String name() {
            return "fake0";
        }

        @Override
        public byte[] macAddress() {
            return new byte[] {2, 0, 0, 0, 0, 1};
        }

        @Override
        public int mtu() {
            return 1500;
        }

        @Override
        public boolean linkUp() {
            return true;
        }

        @Override
        public int receive(FrameSink sink, int budget) {
            return 0;
        }

        @Override
        public boolean transmit(MemorySegment frame) {
            return true;
        }

        @Override
        public boolean receiveWakeupSupported() {
            return supported;
        }

        @Override
        public boolean armReceiveWakeup() {
            arms++;
            return pendingAtArm;
        }
    }

    private static final class OneCpu implements Cpus {
        int wakes;

        @Override
        public int count() {
            return 1;
        }

        @Override
        public int current() {
            return -1;
        }

        @Override
        public CpuStats stats(int cpu) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void wake(int cpu) {
            wakes++;
        }

        @Override
        public AutoCloseable addPoller(int cpu, Poller poller) {
            return () -> { };
        }
    }
}
