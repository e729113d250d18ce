/**
 * Simulated network devices driven by an injected clock: {@link dev.libos.hw.hosted.net.MemoryLink}
 * (a cable with two ends) and {@link dev.libos.hw.hosted.net.MemorySwitch} (a learning switch),
 * both built from {@link dev.libos.hw.hosted.net.MemoryNetDevice} and seeded
 * {@link dev.libos.hw.hosted.net.LinkFaults}.
 */
package dev.libos.hw.hosted.net;
