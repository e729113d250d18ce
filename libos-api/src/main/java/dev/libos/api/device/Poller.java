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

    /**
     * What {@link #idleUntil} returns for a poller some of whose work cannot wake the CPU (a
     * device without notifications, a timer it does not report): the CPU then parks at most
     * {@code libos.idle.maxParkMicros} before polling it again. The default.
     */
    long POLL_PERIODICALLY = Long.MIN_VALUE;

    /**
     * Called on the CPU's carrier when a pass found nothing to do and the CPU is about to park,
     * so that the poller can arm whatever will wake the CPU (a device's notifications, see
     * {@link NetDevice#armReceiveWakeup()}) and re-check for work that arrived before it was armed.
     *
     * @param nowNanos the libos clock
     * @return {@link #POLL_PERIODICALLY}; or the libos-clock time by which the poller must run
     *         again ({@link Long#MAX_VALUE}: only when woken), at or before {@code nowNanos} when
     *         work is already waiting. A poller that returns a time promises that every other
     *         event it handles wakes the CPU ({@code Cpus.wake}).
     */
    default long idleUntil(long nowNanos) {
        return POLL_PERIODICALLY;
    }
}
