package dev.libos.net.nio;

/** What a {@link LibosSelector} needs from a channel it registers: the socket's readiness. */
interface LibosChannel {
    ReadinessHub readiness();
}
