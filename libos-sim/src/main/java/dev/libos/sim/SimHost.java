package dev.libos.sim;

import dev.libos.net.host.Addressing;
import dev.libos.net.host.HostStack;
import dev.libos.net.wire.Ipv4Address;
import dev.libos.vfs.Vfs;
import dev.libos.vfs.VfsException;
import dev.libos.vfs.ramfs.RamFs;
import java.io.IOException;
import java.net.InetAddress;
import java.util.SplittableRandom;

/**
 * One simulated host: its address on the LAN, its disk (kept across crashes), and per boot
 * (an {@link Incarnation}) its network stack, its VFS (ramfs root, cowfs at {@code /data}) and
 * its threads. A crash freezes the incarnation's threads for ever (the driver never runs them
 * again), unplugs the host and cuts the disk's power; a restart boots a new incarnation.
 */
public final class SimHost {
    /** One boot of the host; threads belong to the incarnation that started them. */
    static final class Incarnation {
        final SimHost host;
        final int number;
        final HostStack stack;
        final Vfs vfs;
        volatile boolean alive = true;

        Incarnation(SimHost host, int number, HostStack stack, Vfs vfs) {
            this.host = host;
            this.number = number;
            this.stack = stack;
            this.vfs = vfs;
        }
    }

    private final Simulation simulation;
    private final int index;
    private final String name;
    private final Ipv4Address address;
    private final SimDisk disk;
    private final SplittableRandom random;
    private Incarnation current;
    private int boots;

    SimHost(Simulation simulation, int index, SimDisk disk, SplittableRandom random) {
        this.simulation = simulation;
        this.index = index;
        this.name = "h" + index;
        this.address = Ipv4Address.of(10, 0, 0, index + 1);
        this.disk = disk;
        this.random = random;
    }

    public String name() {
        return name;
    }

    public int index() {
        return index;
    }

    /** The host's address on the simulated LAN: 10.0.0.(index + 1). */
    public InetAddress address() {
        return HostStack.inet(address);
    }

    public boolean isUp() {
        return current != null && current.alive;
    }

    /** Boots the host (a first boot, or a restart after {@link #crash()}): mounts its disk, builds its stack. */
    public void boot() {
        simulation.requireDriver();
        if (isUp()) {
            throw new IllegalStateException(name + " is up already");
        }
        disk.powerOn();
        Vfs vfs;
        try {
            vfs = new Vfs(new RamFs());
            vfs.mkdir("/data");
            vfs.mount("/data", disk.mount());
        } catch (VfsException e) {
            throw new IllegalStateException(name + ": cannot mount its disk after boot " + boots + ": " + e, e);
        }
        HostStack stack = HostStack.builder(simulation.clock(), random.split())
                .addInterface(simulation.network().port(index), Addressing.fixed(address, 24, null))
                .log(line -> { })
                .build();
        current = new Incarnation(this, ++boots, stack, vfs);
        simulation.network().setPowered(index, true);
        simulation.event(name + " boot " + boots);
    }

    /**
     * Crashes the host now: its threads never run again, it is off the network, and its disk
     * loses power (each unflushed block survives, is lost or torn as the seed says).
     */
    public void crash() {
        simulation.requireDriver();
        if (!isUp()) {
            throw new IllegalStateException(name + " is not up");
        }
        current.alive = false;
        simulation.network().setPowered(index, false);
        try {
            disk.powerCut();
        } catch (IOException e) {
            throw new IllegalStateException(name + ": power cut failed: " + e, e);
        }
        simulation.frozen(current);
        simulation.event(name + " crash " + disk.device().stats());
    }

    /** Starts {@code body} on a new thread of this host (its main, a server, a client). */
    public Thread start(String threadName, Runnable body) {
        if (!isUp()) {
            throw new IllegalStateException(name + " is not up");
        }
        return simulation.startThread(current, name + "/" + threadName, body);
    }

    /** The running incarnation's VFS (cowfs at /data). */
    public Vfs vfs() {
        requireUp();
        return current.vfs;
    }

    /** The running incarnation's network stack. */
    public HostStack stack() {
        requireUp();
        return current.stack;
    }

    /** Pulls the host's cable out ({@code false}) or plugs it in: a link flap is one of each. */
    public void plugCable(boolean plugged) {
        simulation.requireDriver();
        simulation.network().setCablePlugged(index, plugged);
        simulation.event(name + (plugged ? " cable in" : " cable out"));
    }

    SimDisk disk() {
        return disk;
    }

    Incarnation incarnation() {
        return current;
    }

    private void requireUp() {
        if (!isUp()) {
            throw new IllegalStateException(name + " is not up");
        }
    }

    @Override
    public String toString() {
        return name + (isUp() ? " up" : " down");
    }
}
