package dev.libos.hw.vmxnet3;

/**
 * What the device says about its queues ({@code GET_QUEUE_STATUS} and {@code GET_STATS}: the
 * {@code Vmxnet3_QueueStatus} and {@code UPT1_TxStats} / {@code UPT1_RxStats} the device writes
 * into the queue descriptors). Unicast, multicast and broadcast are summed.
 *
 * @param txFrames frames the device sent
 * @param txBytes their bytes
 * @param txErrors {@code pktsTxError}: packets the device could not parse or offload
 * @param txDiscards {@code pktsTxDiscard}: packets the backend refused
 * @param rxFrames frames the device delivered
 * @param rxBytes their bytes
 * @param rxOutOfBuffers {@code pktsRxOutOfBuf}: frames dropped because ring 1 had no buffer
 * @param rxErrors {@code pktsRxError}
 * @param txQueueStopped whether the device stopped the transmit queue; {@code txQueueError} why
 * @param rxQueueStopped whether the device stopped the receive queue; {@code rxQueueError} why
 */
public record Vmxnet3DeviceStatistics(long txFrames, long txBytes, long txErrors, long txDiscards,
                                      long rxFrames, long rxBytes, long rxOutOfBuffers, long rxErrors,
                                      boolean txQueueStopped, int txQueueError,
                                      boolean rxQueueStopped, int rxQueueError) {
}
