package dev.libos.api.spi;

import dev.libos.api.LibOS;
import dev.libos.api.LibOSConfig;
import java.util.Optional;

/** How {@link LibOS#boot(LibOSConfig)} finds the kernel: libos-core registers one with ServiceLoader. */
public interface KernelProvider {
    /** Boots a kernel; fails if one is already running in this JVM. */
    LibOS boot(LibOSConfig config);

    /** The kernel running now, if any. */
    Optional<LibOS> running();
}
