package dev.libos.core;

import dev.libos.api.LibOS;
import dev.libos.api.spi.BootHook;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Runs the {@link BootHook}s of one boot: those that accept the environment, by order then name,
 * and tells the ones that ran, in reverse order, when the application has ended.
 */
public final class BootHooks {
    private final BootHook.Environment environment;
    private final PrintStream console;
    private final List<BootHook> ran = new ArrayList<>();

    public BootHooks(BootHook.Environment environment, PrintStream console) {
        this.environment = environment;
        this.console = console;
    }

    /**
     * Runs the hooks {@link ServiceLoader} finds.
     *
     * @return false when one failed (printed on the console; the rest did not run)
     */
    public boolean runAll(LibOS os) {
        List<BootHook> hooks = new ArrayList<>();
        try {
            ServiceLoader.load(BootHook.class).forEach(hooks::add);
        } catch (ServiceConfigurationError e) {
            console.println("libos: boot hooks cannot be loaded: " + e);
            return false;
        }
        return run(os, hooks);
    }

    boolean run(LibOS os, List<BootHook> hooks) {
        List<BootHook> ordered = new ArrayList<>();
        for (BootHook hook : hooks) {
            if (hook.runsIn(environment)) {
                ordered.add(hook);
            }
        }
        ordered.sort(Comparator.comparingInt(BootHook::order).thenComparing(BootHook::name));
        for (BootHook hook : ordered) {
            try {
                ran.add(hook);
                hook.run(os, environment, console);
            } catch (Exception | Error e) {
                console.println("libos: boot hook " + hook.name() + " failed, main will not run: " + e.getMessage());
                e.printStackTrace(console);
                return false;
            }
        }
        return true;
    }

    /** Tells every hook that ran, newest first, that the application has ended. */
    public void beforeShutdown() {
        for (BootHook hook : ran.reversed()) {
            try {
                hook.beforeShutdown(console);
            } catch (Exception | Error e) {
                console.println("libos: boot hook " + hook.name() + " failed before shutdown: " + e);
            }
        }
        ran.clear();
    }
}
