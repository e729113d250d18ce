package dev.libos.hw.vmxnet3;

import dev.libos.api.stat.SingleWriterCounter;

/**
 * Statistics of a vmxnet3 device, written by its polling thread, readable from any thread.
 * "Malformed" counts what the device wrote and the driver refused to believe: each such
 * completion is dropped, never thrown.
 */
public final class Vmxnet3Counters {
    final SingleWriterCounter rxFrames = new SingleWriterCounter();
    final SingleWriterCounter rxBytes = new SingleWriterCounter();
    final SingleWriterCounter rxErrors = new SingleWriterCounter();
    final SingleWriterCounter rxMalformedIndex = new SingleWriterCounter();
    final SingleWriterCounter rxMalformedLength = new SingleWriterCounter();
    final SingleWriterCounter rxMalformedShape = new SingleWriterCounter();
    final SingleWriterCounter rxDoorbells = new SingleWriterCounter();
    final SingleWriterCounter txFrames = new SingleWriterCounter();
    final SingleWriterCounter txBytes = new SingleWriterCounter();
    final SingleWriterCounter txQueueFull = new SingleWriterCounter();
    final SingleWriterCounter txCompleted = new SingleWriterCounter();
    final SingleWriterCounter txMalformedIndex = new SingleWriterCounter();
    final SingleWriterCounter txDoorbells = new SingleWriterCounter();

    /** Frames delivered to the stack. */
    public long rxFrames() {
        return rxFrames.get();
    }

    public long rxBytes() {
        return rxBytes.get();
    }

    /** Frames the device itself marked bad ({@code err}: it did not fit the buffer); dropped. */
    public long rxErrors() {
        return rxErrors.get();
    }

    /**
     * Receive completions naming a descriptor that is not the next one the device owns (out of
     * range, out of order, duplicated, or with nothing posted); dropped, no buffer touched.
     */
    public long rxMalformedIndex() {
        return rxMalformedIndex.get();
    }

    /** Receive completions with a length below an Ethernet header or above the buffer; dropped. */
    public long rxMalformedLength() {
        return rxMalformedLength.get();
    }

    /**
     * Receive completions that are not one whole frame in one ring-1 buffer (sop/eop clear, or
     * another ring's id), which this configuration never asks for; dropped.
     */
    public long rxMalformedShape() {
        return rxMalformedShape.get();
    }

    /** Every malformed receive completion. */
    public long rxMalformed() {
        return rxMalformedIndex.get() + rxMalformedLength.get() + rxMalformedShape.get();
    }

    /** RXPROD writes (only when the device asks for them with {@code updateRxProd}, and once at start). */
    public long rxDoorbells() {
        return rxDoorbells.get();
    }

    /** Frames handed to the device. */
    public long txFrames() {
        return txFrames.get();
    }

    public long txBytes() {
        return txBytes.get();
    }

    /** Transmit attempts refused because every descriptor was in flight (back-pressure). */
    public long txQueueFull() {
        return txQueueFull.get();
    }

    /** Transmit descriptors the device completed and the driver took back. */
    public long txCompleted() {
        return txCompleted.get();
    }

    /** Transmit completions naming a descriptor that is not the oldest in flight; dropped. */
    public long txMalformedIndex() {
        return txMalformedIndex.get();
    }

    /** TXPROD writes. */
    public long txDoorbells() {
        return txDoorbells.get();
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
