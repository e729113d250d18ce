package dev.libos.hosted;

import dev.libos.jvm.net.PlatformSockets;

import dev.libos.api.device.NetDevice;
import dev.libos.api.net.BlockingSockets;
import dev.libos.api.net.Network;
import dev.libos.api.net.TcpServerSocket;
import dev.libos.api.net.TcpSocket;
import dev.libos.net.gateway.SocketBridge;
import dev.libos.net.host.ForwardingNetDevice;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Outbound connections from the hosted application to the host, as QEMU's slirp gives a guest:
 * a connection to the gateway's address on port P reaches 127.0.0.1:P on the host. The gateway
 * host has no listener for every port, so its device is watched ({@link #watch}): the first TCP
 * SYN for the gateway's address on a port opens a listener there (on the stack's thread, before
 * the SYN reaches TCP), and each connection it accepts is bridged to a real host socket from
 * the JDK's own provider by a {@link SocketBridge} (half-closes and resets passed both ways, as
 * the port-forwarding gateway does). A port with nothing listening on the host gets its connection closed.
 */
final class OutboundToHost implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OutboundToHost.class);
    /** Host ports the application may reach; each takes a listener and an acceptor thread. Beyond: reset. */
    static final int MAX_PORTS = 256;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /** The gateway host's sockets; its stack is built over {@link #watch}'s device, so they come after. */
    private volatile Network gatewayHost;
    private final InetAddress gatewayAddress;
    private final int gatewayAddressValue;
    /** Ports with a listener; touched on the stack's thread only. */
    private final Set<Integer> listening = new HashSet<>();
    private final List<TcpServerSocket> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong connections = new AtomicLong();
    /** Bytes and resets over all bridged connections. */
    private final SocketBridge.Counters bridged = new SocketBridge.Counters();
    private volatile boolean closed;

    OutboundToHost(InetAddress gatewayAddress) {
        this.gatewayAddress = gatewayAddress;
        byte[] b = gatewayAddress.getAddress();
        this.gatewayAddressValue = ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    }

    /** The gateway host's sockets, where listeners open; SYNs before this are left to TCP (a reset). */
    void attach(Network sockets) {
        this.gatewayHost = sockets;
    }

    /** Connections bridged so far. */
    long connections() {
        return connections.get();
    }

    /** {@code device} as the gateway host's stack should see it: every frame is looked at for a SYN first. */
    NetDevice watch(NetDevice device) {
        return new WatchedDevice(device, this);
    }

    /**
     * The destination port of an IPv4 TCP SYN (without ACK) for the gateway's address in
     * {@code frame} (Ethernet II), or -1. Reads only what the frame holds; anything short or
     * odd is not a SYN (the stack validates and counts it).
     */
    int synPort(MemorySegment frame) {
        long length = frame.byteSize();
        if (length < 14 + 20 + 20 || frame.get(U16, 12) != 0x0800) {
            return -1;
        }
        int versionAndLength = frame.get(ValueLayout.JAVA_BYTE, 14) & 0xFF;
        int headerLength = (versionAndLength & 0x0F) * 4;
        boolean firstFragment = (frame.get(U16, 14 + 6) & 0x1FFF) == 0;
        if (versionAndLength >> 4 != 4 || headerLength < 20 || 14 + headerLength + 20 > length || !firstFragment
                || (frame.get(ValueLayout.JAVA_BYTE, 14 + 9) & 0xFF) != 6 || frame.get(U32, 14 + 16) != gatewayAddressValue) {
            return -1;
        }
        int tcp = 14 + headerLength;
        int flags = frame.get(ValueLayout.JAVA_BYTE, tcp + 13) & 0xFF;
        return (flags & 0x12) == 0x02 ? frame.get(U16, tcp + 2) & 0xFFFF : -1;
    }

    /** On the stack's thread, before TCP sees the SYN: a listener on {@code port} if there is none yet. */
    void onSyn(int port) {
        Network sockets = gatewayHost;
        if (closed || sockets == null || port == 0 || listening.contains(port)) {
            return;
        }
        if (listening.size() >= MAX_PORTS) {
            if (listening.add(-1)) { // once
                LOG.warn("outbound to host: more than {} ports asked for; further ports are refused", MAX_PORTS);
            }
            return;
        }
        listening.add(port);
        try {
            TcpServerSocket listener = sockets.openTcpServer();
            listener.bind(new InetSocketAddress(gatewayAddress, port), 64);
            listeners.add(listener);
            Thread.ofPlatform().daemon().name("libos-outbound-" + port).start(() -> acceptLoop(listener, port));
        } catch (IOException | RuntimeException e) {
            LOG.warn("outbound to host port {}: no listener on the gateway: {}", port, e.toString());
        }
    }

    private void acceptLoop(TcpServerSocket listener, int port) {
        while (!closed) {
            TcpSocket app;
            try {
                app = BlockingSockets.accept(listener, 0);
            } catch (IOException e) {
                return; // closed
            }
            connections.incrementAndGet();
            Thread.ofVirtual().name("libos-outbound-conn").start(() -> bridge(app, port));
        }
    }

    private void bridge(TcpSocket app, int port) {
        InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        try (app; SocketChannel host = PlatformSockets.provider().openSocketChannel()) {
            try {
                host.connect(target);
            } catch (IOException e) {
                LOG.info("outbound: host {} refused a connection from the application: {}", target, e.getMessage());
                return; // closing the application's connection tells it
            }
            new SocketBridge(host, app, bridged, "libos-outbound").run();
        } catch (IOException | InterruptedException e) {
            LOG.debug("outbound connection ended: {}", e.toString());
        }
    }

    @Override
    public void close() {
        closed = true;
        for (TcpServerSocket listener : listeners) {
            try {
                listener.close();
            } catch (IOException e) {
                LOG.debug("closing {}: {}", listener, e.toString());
            }
        }
    }

    /** The gateway host's device, with every received frame shown to {@link #synPort} first. */
    private static final class WatchedDevice extends ForwardingNetDevice {
        private final OutboundToHost outbound;

        WatchedDevice(NetDevice device, OutboundToHost outbound) {
            super(device);
            this.outbound = outbound;
        }

        @Override
        public int receive(FrameSink sink, int budget) {
            return device().receive(new FrameSink() {
                @Override
                public void onFrame(MemorySegment frame) {
                    look(frame);
                    sink.onFrame(frame);
                }

                @Override
                public void onFrame(MemorySegment frame, boolean transportChecksumVerified) {
                    look(frame);
                    sink.onFrame(frame, transportChecksumVerified);
                }
            }, budget);
        }

        private void look(MemorySegment frame) {
            int port = outbound.synPort(frame);
            if (port > 0) {
                outbound.onSyn(port);
            }
        }
    }
}
