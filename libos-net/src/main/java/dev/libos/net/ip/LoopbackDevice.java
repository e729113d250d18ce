package dev.libos.net.ip;

import dev.libos.api.device.NetDevice;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;

/**
 * The loopback device ({@code lo}): every frame transmitted is received again on the next poll.
 * A {@link NetStack} sends datagrams for its own addresses through it (RFC 1122 section 3.2.1.3:
 * 127.0.0.0/8 never leaves the host) without ARP. Frames are copied on transmit; the queue is
 * bounded, and a full queue refuses the frame like a busy NIC (TCP retransmits it).
 *
 * <p>Owned by the stack's thread like any device; the receive listener is called from the
 * sending thread so that the CPU that polls the stack wakes for the looped frame.
 */
public final class LoopbackDevice implements NetDevice {
    /** Linux's loopback MTU is 65536; an IPv4 datagram is at most 65535 bytes (RFC 791). */
    public static final int MTU = 65535;
    /** Frames waiting to be received before transmit refuses more. */
    public static final int QUEUE_FRAMES = 1024;

    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private volatile Runnable receiveListener;
    private long framesLooped;
    private long framesRefused;

    @Override
    public String name() {
        return "lo";
    }

    @Override
    public byte[] macAddress() {
        return new byte[6];
    }

    @Override
    public int mtu() {
        return MTU;
    }

    @Override
    public boolean linkUp() {
        return true;
    }

    @Override
    public int receive(FrameSink sink, int budget) {
        int delivered = 0;
        while (delivered < budget && !queue.isEmpty()) {
            sink.onFrame(MemorySegment.ofArray(queue.poll()));
            delivered++;
        }
        return delivered;
    }

    @Override
    public boolean transmit(MemorySegment frame) {
        if (queue.size() >= QUEUE_FRAMES) {
            framesRefused++;
            return false;
        }
        queue.add(frame.toArray(ValueLayout.JAVA_BYTE));
        framesLooped++;
        Runnable listener = receiveListener;
        if (listener != null) {
            listener.run();
        }
        return true;
    }

    @Override
    public void setReceiveListener(Runnable listener) {
        this.receiveListener = listener;
    }

    /** Every transmit calls the receive listener: a looped frame always wakes the poller. */
    @Override
    public boolean receiveWakeupSupported() {
        return true;
    }

    /** Nothing to arm; true when looped frames wait (stack thread). */
    @Override
    public boolean armReceiveWakeup() {
        return !queue.isEmpty();
    }

    /** Frames looped back so far (stack thread). */
    public long framesLooped() {
        return framesLooped;
    }

    /** Frames refused because the queue was full (stack thread). */
    public long framesRefused() {
        return framesRefused;
    }
}
