package dev.libos.hw.vmxnet3;

/**
 * Statistics of a vmxnet3 device, written by its polling thread, readable from any thread.
 * "Malformed" counts what the device wrote and the driver refused to believe: each such
 * completion is dropped, never thrown.
 */
public final class Vmxnet3Counters {
    volatile long rxFrames;
    volatile long rxBytes;
    volatile long rxErrors;
    volatile long rxMalformedIndex;
    volatile long rxMalformedLength;
    volatile long rxMalformedShape;
    volatile long rxDoorbells;
    volatile long txFrames;
    volatile long txBytes;
    volatile long txQueueFull;
    volatile long txCompleted;
    volatile long txMalformedIndex;
    volatile long txDoorbells;

    /** Frames delivered to the stack. */
    public long rxFrames() {
        return rxFrames;
    }

    public long rxBytes() {
        return rxBytes;
    }

    /** Frames the device itself marked bad ({@code err}: it did not fit the buffer); dropped. */
    public long rxErrors() {
        return rxErrors;
    }

    /**
     * Receive completions naming a descriptor that is not the next one the device owns (out of
     * range, out of order, duplicated, or with nothing posted); dropped, no buffer touched.
     */
    public long rxMalformedIndex() {
        return rxMalformedIndex;
    }

    /** Receive completions with a length below an Ethernet header or above the buffer; dropped. */
    public long rxMalformedLength() {
        return rxMalformedLength;
    }

    /**
     * Receive completions that are not one whole frame in one ring-1 buffer (sop/eop clear, or
     * another ring's id), which this configuration never asks for; dropped.
     */
    public long rxMalformedShape() {
        return rxMalformedShape;
    }

    /** Every malformed receive completion. */
    public long rxMalformed() {
        return rxMalformedIndex + rxMalformedLength + rxMalformedShape;
    }

    /** RXPROD writes (only when the device asks for them with {@code updateRxProd}, and once at start). */
    public long rxDoorbells() {
        return rxDoorbells;
    }

    /** Frames handed to the device. */
    public long txFrames() {
        return txFrames;
    }

    public long txBytes() {
        return txBytes;
    }

    /** Transmit attempts refused because every descriptor was in flight (back-pressure). */
    public long txQueueFull() {
        return txQueueFull;
    }

    /** Transmit descriptors the device completed and the driver took back. */
    public long txCompleted() {
        return txCompleted;
    }

    /** Transmit completions naming a descriptor that is not the oldest in flight; dropped. */
    public long txMalformedIndex() {
        return txMalformedIndex;
    }

    /** TXPROD writes. */
    public long txDoorbells() {
        return txDoorbells;
    }

    @Override
    public String toString() {
        return "Vmxnet3Counters[rxFrames=" + rxFrames + ", rxBytes=" + rxBytes + ", rxErrors=" + rxErrors
                + ", rxMalformed(index/length/shape)=" + rxMalformedIndex + "/" + rxMalformedLength + "/" + rxMalformedShape
                + ", rxDoorbells=" + rxDoorbells + ", txFrames=" + txFrames + ", txBytes=" + txBytes
                + ", txQueueFull=" + txQueueFull + ", txCompleted=" + txCompleted + ", txMalformedIndex=" + txMalformedIndex
                + ", txDoorbells=" + txDoorbells + "]";
    }
}
