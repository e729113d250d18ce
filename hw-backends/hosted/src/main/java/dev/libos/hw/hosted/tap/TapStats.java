package dev.libos.hw.hosted.tap;

/**
 * A snapshot of a {@link TapDevice}'s counters.
 *
 * @param framesIn           frames read from the kernel and handed to a receive sink
 * @param bytesIn            bytes of those frames
 * @param framesOut          frames written to the kernel
 * @param bytesOut           bytes of those frames
 * @param receiveWouldBlock  reads that found nothing (EAGAIN): one per idle poll
 * @param transmitWouldBlock writes refused for lack of room (EAGAIN, ENOBUFS): back-pressure
 * @param oversizeDropped    frames read that were longer than the header plus the MTU, dropped
 * @param receiveErrors      reads that failed otherwise (each also thrown)
 * @param transmitErrors     writes that failed otherwise or were short (each also thrown)
 */
public record TapStats(long framesIn, long bytesIn, long framesOut, long bytesOut, long receiveWouldBlock,
                       long transmitWouldBlock, long oversizeDropped, long receiveErrors, long transmitErrors) {
}
