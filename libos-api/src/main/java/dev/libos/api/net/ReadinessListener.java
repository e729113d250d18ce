package dev.libos.api.net;

/**
 * Told when a socket's readiness may have changed. It runs on whatever thread changed it (often
 * the network stack's CPU loop): it must be quick and must not block — typically it wakes a
 * selector or an event loop, which then reads {@link SocketEndpoint#readyOps()}.
 */
@FunctionalInterface
public interface ReadinessListener {
    /** @param readyOps the readiness after the change ({@link Readiness} bits) */
    void onReadiness(int readyOps);
}
