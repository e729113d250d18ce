package dev.libos.api.device;

/**
 * Work that a CPU loop runs on every pass: a device queue, a protocol stack's timers. It must
 * not block.
 */
@FunctionalInterface
public interface Poller {
    /**
     * Does whatever work is ready.
     *
     * @param nowNanos the libos clock at the start of this pass
     * @return the amount of work done; 0 lets an idle CPU back off
     */
    int poll(long nowNanos);
}
