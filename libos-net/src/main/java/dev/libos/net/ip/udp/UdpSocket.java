package dev.libos.net.ip.udp;

import dev.libos.api.stat.SingleWriterCounter;
import dev.libos.net.wire.Ipv4Address;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * A bound UDP endpoint with a bounded receive queue: a datagram arriving when the queue is full
 * is dropped and counted. {@link #receive()} never blocks; a blocking reader parks on a
 * {@code WaitQueue} until {@link #available()} is non-zero and registers
 * {@code waitQueue::wakeAll} with {@link #setReadinessListener}.
 *
 * <p>The receive queue may be read from any thread (it is a concurrent queue); sending and
 * closing go through the stack and belong to the stack's thread.
 */
public final class UdpSocket {
    private final UdpLayer layer;
    private final Ipv4Address localAddress;
    private final int localPort;
    private final ArrayBlockingQueue<UdpMessage> queue;
    private volatile Runnable readinessListener;
    private final SingleWriterCounter drops = new SingleWriterCounter();
    private volatile int receiveBufferBytes = Integer.MAX_VALUE;
    private final java.util.concurrent.atomic.AtomicLong queuedBytes = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean closed;

    UdpSocket(UdpLayer layer, Ipv4Address localAddress, int localPort, int capacity) {
        this.layer = layer;
        this.localAddress = localAddress;
        this.localPort = localPort;
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /** The bound address ({@code 0.0.0.0}: any of the stack's addresses). */
    public Ipv4Address localAddress() {
        return localAddress;
    }

    /** The bound port. */
    public int localPort() {
        return localPort;
    }

    /** The next datagram, or null when none is queued. */
    public UdpMessage receive() {
        UdpMessage message = queue.poll();
        if (message != null) {
            queuedBytes.addAndGet(-message.data().length);
        }
        return message;
    }

    /**
     * Bounds the payload bytes queued (SO_RCVBUF): a datagram arriving while the queue holds
     * that many or more is dropped and counted, as Linux does (so one datagram always fits).
     */
    public void setReceiveBufferBytes(int bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("receive buffer must be >= 1 byte: " + bytes);
        }
        this.receiveBufferBytes = bytes;
    }

    /** Datagrams queued. */
    public int available() {
        return queue.size();
    }

    /** Datagrams dropped because the queue was full. */
    public long drops() {
        return drops.get();
    }

    /**
     * Runs {@code listener} on the stack's thread each time a datagram is queued (null: none).
     * It must not block: waking a {@code WaitQueue} is the intended use.
     */
    public void setReadinessListener(Runnable listener) {
        this.readinessListener = listener;
    }

    /**
     * Sends {@code data} to {@code destination}:{@code port} from this socket's port.
     *
     * @return false when the IP layer could not send it (counted there and in the UDP layer)
     */
    public boolean send(Ipv4Address destination, int port, byte[] data) {
        if (closed) {
            throw new IllegalStateException("socket closed: port " + localPort);
        }
        return layer.send(this, destination, port, data);
    }

    /** Unbinds the port; queued datagrams stay readable. */
    public void close() {
        if (!closed) {
            closed = true;
            layer.unbind(this);
        }
    }

    /** True once closed. */
    public boolean closed() {
        return closed;
    }

    boolean offer(UdpMessage message) {
        if (queuedBytes.get() >= receiveBufferBytes || !queue.offer(message)) {
            // Single writer (the stack's thread), so a plain read-modify-write of the volatile is safe.
            drops.increment();
            return false;
        }
        queuedBytes.addAndGet(message.data().length);
        Runnable listener = readinessListener;
        if (listener != null) {
            listener.run();
        }
        return true;
    }
}
