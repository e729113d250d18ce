package dev.libos.core.log;

/**
 * Marks an SLF4J logger that already writes every entry into {@link KLog#ring()} (libos-slf4j's
 * provider), so that {@link KLog} does not record the same entry twice.
 */
public interface WritesKernelLogRing {
}
