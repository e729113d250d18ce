/**
 * The libos synchronisation primitives: a lock-free hand-off mutex ({@link
 * dev.libos.core.sync.HandOffMutex}), a FIFO condition variable ({@link
 * dev.libos.core.sync.FifoCondVar}) and a mutex-free wait queue ({@link
 * dev.libos.core.sync.LockFreeWaitQueue}). Threads block only with {@link
 * java.util.concurrent.locks.LockSupport#park}, so a libos thread yields its virtual CPU; nothing
 * spins and nothing uses monitors or {@code java.util.concurrent.locks} locks.
 */
package dev.libos.core.sync;
