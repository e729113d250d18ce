package dev.libos.hw.hosted.tap;

import dev.libos.api.device.NetDevice;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A Linux TAP interface driven from Java: {@code /dev/net/tun} opened through FFM, attached with
 * {@code TUNSETIFF} as {@code IFF_TAP | IFF_NO_PI} (whole Ethernet frames, no packet-information
 * prefix; no {@code IFF_VNET_HDR}, so the kernel hands over only complete, checksummed frames of at
 * most its MTU and offloads stay off), and made non-blocking with {@code fcntl}.
 * {@link #receive} reads frames until the budget is spent or the kernel answers EAGAIN;
 * {@link #transmit} writes one frame.
 *
 * <p>The kernel side of the interface (its state, addresses, MTU, namespace) is configured with
 * {@code ip link}/{@code ip addr} by whoever owns the host; keep its MTU equal to {@link #mtu()}.
 * The descriptor stays valid when the interface is moved to another network namespace.
 *
 * <p>Threads: one thread receives at a time (the poller); any threads may transmit (writes are
 * serialised); {@link #close()} only once neither runs any more. Creating a TAP interface needs
 * CAP_NET_ADMIN.
 */
public final class TapDevice implements NetDevice, AutoCloseable {
    /** Ethernet header length. */
    public static final int HEADER_LENGTH = 14;
    /** The tun device node. */
    public static final String TUN_PATH = "/dev/net/tun";
    /**
     * Bytes the receive buffer holds: any frame the kernel may hand over, so that an oversize one
     * is seen whole, counted and dropped rather than silently truncated.
     */
    private static final int RECEIVE_BUFFER_BYTES = 65536 + HEADER_LENGTH;

    private final String name;
    private final byte[] mac;
    private final int mtu;
    private final int fd;
    private final Arena arena = Arena.ofShared();
    private final Libc.CallState receiveState = new Libc.CallState(arena);
    private final Libc.CallState transmitState = new Libc.CallState(arena);
    private final MemorySegment receiveBuffer = arena.allocate(RECEIVE_BUFFER_BYTES, 64);
    private final MemorySegment transmitBuffer;
    /** Serialises writers: the transmit buffer and {@link #transmitState} are shared. */
    private final ReentrantLock transmitLock = new ReentrantLock();
    private final TapCounters counters = new TapCounters();
    private volatile boolean carrier = true;
    private volatile boolean closed;

    private TapDevice(String name, byte[] mac, int mtu, int fd) {
        this.name = name;
        this.mac = mac;
        this.mtu = mtu;
        this.fd = fd;
        this.transmitBuffer = arena.allocate(HEADER_LENGTH + mtu, 64);
    }

    /**
     * Creates (or attaches to) the TAP interface {@code name} and opens it for polling.
     *
     * @param name interface name, 1 to 15 characters of {@code [A-Za-z0-9_.-]}
     * @param mac  the address this end uses, 6 bytes, unicast (see {@link #locallyAdministeredMac})
     * @param mtu  largest payload of a frame, in [68, 65535]
     * @throws IllegalArgumentException naming a bad argument
     * @throws IOException naming the failed call and its errno (EPERM without CAP_NET_ADMIN, EBUSY
     *     when another descriptor holds the interface, ENOENT without {@code /dev/net/tun})
     */
    public static TapDevice open(String name, byte[] mac, int mtu) throws IOException {
        validateName(name);
        if (mac == null || mac.length != 6) {
            throw new IllegalArgumentException("mac must be 6 bytes: " + (mac == null ? null : mac.length));
        }
        if ((mac[0] & 1) != 0) {
            throw new IllegalArgumentException("mac must be unicast (first octet even): " + formatMac(mac));
        }
        if (mtu < 68 || mtu > 65535) {
            throw new IllegalArgumentException("mtu must be in [68, 65535]: " + mtu);
        }
        try (Arena setup = Arena.ofConfined()) {
            Libc.CallState state = new Libc.CallState(setup);
            int fd = Libc.open(state, TUN_PATH, Libc.O_RDWR | Libc.O_CLOEXEC);
            if (fd < 0) {
                throw failure("open(" + TUN_PATH + ")", state.errno());
            }
            try {
                MemorySegment request = setup.allocate(TunInterfaceRequest.SIZE, 8);
                TunInterfaceRequest.encode(request, name,
                        (short) (TunInterfaceRequest.IFF_TAP | TunInterfaceRequest.IFF_NO_PI));
                if (Libc.ioctl(state, fd, TunInterfaceRequest.TUNSETIFF, request) < 0) {
                    throw failure("ioctl(TUNSETIFF, " + name + ")", state.errno());
                }
                int flags = Libc.fcntl(state, fd, Libc.F_GETFL, 0);
                if (flags < 0) {
                    throw failure("fcntl(F_GETFL) on " + name, state.errno());
                }
                if (Libc.fcntl(state, fd, Libc.F_SETFL, flags | Libc.O_NONBLOCK) < 0) {
                    throw failure("fcntl(F_SETFL, O_NONBLOCK) on " + name, state.errno());
                }
                return new TapDevice(TunInterfaceRequest.decodeName(request), mac.clone(), mtu, fd);
            } catch (IOException | RuntimeException e) {
                Libc.close(state, fd);
                throw e;
            }
        }
    }

    /**
     * A locally administered unicast MAC ({@code 02:...}) whose last five octets are the low 40
     * bits of {@code id}: distinct ids give distinct addresses.
     */
    public static byte[] locallyAdministeredMac(long id) {
        byte[] octets = new byte[6];
        octets[0] = 0x02;
        for (int i = 1; i < 6; i++) {
            octets[i] = (byte) (id >>> (8 * (5 - i)));
        }
        return octets;
    }

    static void validateName(String name) {
        if (name == null || name.isEmpty() || name.length() >= TunInterfaceRequest.NAME_SIZE) {
            throw new IllegalArgumentException("interface name must have 1 to " + (TunInterfaceRequest.NAME_SIZE - 1)
                    + " characters: " + name);
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '.' || c == '-';
            if (!ok) {
                throw new IllegalArgumentException("interface name may hold only [A-Za-z0-9_.-]: " + name);
            }
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public byte[] macAddress() {
        return mac.clone();
    }

    @Override
    public int mtu() {
        return mtu;
    }

    /** True while the device is open and its carrier on. */
    @Override
    public boolean linkUp() {
        return !closed && carrier;
    }

    /**
     * Turns the carrier on or off ({@code TUNSETCARRIER}): while off the kernel sees the link as
     * down (NO-CARRIER) and sends nothing to this device.
     *
     * @throws IOException naming the errno (EINVAL on kernels before 5.0)
     */
    public void setCarrier(boolean on) throws IOException {
        ensureOpen();
        transmitLock.lock();
        try {
            MemorySegment value = transmitBuffer.asSlice(0, 4);
            value.set(ValueLayout.JAVA_INT, 0, on ? 1 : 0);
            if (Libc.ioctl(transmitState, fd, TunInterfaceRequest.TUNSETCARRIER, value) < 0) {
                throw failure("ioctl(TUNSETCARRIER, " + on + ") on " + name, transmitState.errno());
            }
            carrier = on;
        } finally {
            transmitLock.unlock();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Each frame is a slice of one native receive buffer, overwritten by the next read.
     *
     * @throws IllegalStateException when a read fails other than with EAGAIN, naming the errno,
     *     or when the device is closed
     */
    @Override
    public int receive(FrameSink sink, int budget) {
        if (budget < 0) {
            throw new IllegalArgumentException("budget must be >= 0: " + budget);
        }
        ensureOpenState();
        int delivered = 0;
        int attempts = 0;
        // Oversize frames are dropped without counting against the budget, but bounded so that a
        // stream of them cannot keep the poller here forever.
        while (delivered < budget && attempts < 2 * budget + 1) {
            attempts++;
            long n = Libc.read(receiveState, fd, receiveBuffer, RECEIVE_BUFFER_BYTES);
            if (n < 0) {
                int errno = receiveState.errno();
                if (errno == Errno.EAGAIN) {
                    counters.receiveWouldBlock();
                    break;
                }
                if (errno == Errno.EINTR) {
                    continue;
                }
                counters.receiveError();
                throw new IllegalStateException("read(fd " + fd + ") on " + name + " failed: " + Errno.describe(errno));
            }
            if (n > HEADER_LENGTH + mtu || n < HEADER_LENGTH) {
                counters.oversizeDropped();
                continue;
            }
            counters.received(n);
            delivered++;
            sink.onFrame(receiveBuffer.asSlice(0, n));
        }
        return delivered;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Writes the frame as it is (the kernel needs no padding). Returns false when the kernel
     * refuses it for lack of room (EAGAIN, ENOBUFS).
     *
     * @throws IllegalArgumentException when the frame is shorter than an Ethernet header or longer
     *     than the header plus the MTU
     * @throws IllegalStateException when the write fails otherwise or is short, naming the errno,
     *     or when the device is closed
     */
    @Override
    public boolean transmit(MemorySegment frame) {
        long length = frame.byteSize();
        if (length < HEADER_LENGTH || length > HEADER_LENGTH + mtu) {
            throw new IllegalArgumentException("frame length must be in [" + HEADER_LENGTH + ", "
                    + (HEADER_LENGTH + mtu) + "]: " + length);
        }
        transmitLock.lock();
        try {
            ensureOpenState();
            // A heap segment cannot be passed to write(2): copy it into the native buffer.
            MemorySegment source = frame;
            if (!frame.isNative()) {
                MemorySegment.copy(frame, 0, transmitBuffer, 0, length);
                source = transmitBuffer;
            }
            while (true) {
                long n = Libc.write(transmitState, fd, source, length);
                if (n == length) {
                    counters.sent(length);
                    return true;
                }
                if (n >= 0) {
                    counters.transmitError();
                    throw new IllegalStateException("write(fd " + fd + ") on " + name + " was short: " + n
                            + " of " + length + " bytes");
                }
                int errno = transmitState.errno();
                if (errno == Errno.EINTR) {
                    continue;
                }
                if (errno == Errno.EAGAIN || errno == Errno.ENOBUFS) {
                    counters.transmitWouldBlock();
                    return false;
                }
                counters.transmitError();
                throw new IllegalStateException("write(fd " + fd + ") on " + name + " failed: " + Errno.describe(errno));
            }
        } finally {
            transmitLock.unlock();
        }
    }

    /** A snapshot of the counters. */
    public TapStats stats() {
        return counters.snapshot();
    }

    /**
     * Closes the descriptor; the kernel removes the interface (it is not persistent). Call once
     * the poller and the transmitters have stopped. Idempotent.
     *
     * @throws IOException naming the errno when close(2) fails
     */
    @Override
    public void close() throws IOException {
        transmitLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            int result = Libc.close(transmitState, fd);
            int errno = transmitState.errno();
            arena.close();
            if (result < 0) {
                throw failure("close(fd " + fd + ") on " + name, errno);
            }
        } finally {
            transmitLock.unlock();
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException(name + " is closed");
        }
    }

    private void ensureOpenState() {
        if (closed) {
            throw new IllegalStateException(name + " is closed");
        }
    }

    private static IOException failure(String call, int errno) {
        return new IOException(call + " failed: " + Errno.describe(errno));
    }

    static String formatMac(byte[] mac) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < mac.length; i++) {
            if (i > 0) {
                text.append(':');
            }
            text.append(String.format("%02x", mac[i] & 0xFF));
        }
        return text.toString();
    }

    @Override
    public String toString() {
        return "TapDevice[" + name + " " + formatMac(mac) + " mtu " + mtu + "]";
    }
}
