package dev.libos.core;

import dev.libos.api.LibOS;
import dev.libos.api.LibOSConfig;
import dev.libos.api.spi.KernelProvider;
import java.util.Optional;

/** Registers libos-core with {@link LibOS#boot(LibOSConfig)} through ServiceLoader. */
public final class CoreKernelProvider implements KernelProvider {
    @Override
    public LibOS boot(LibOSConfig config) {
        return Kernel.boot(config);
    }

    @Override
    public Optional<LibOS> running() {
        return Optional.ofNullable(Kernel.running());
    }
}
