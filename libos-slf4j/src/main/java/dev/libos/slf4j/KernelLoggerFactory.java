package dev.libos.slf4j;

import java.io.PrintStream;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;

/** One {@link KernelLogger} per name, all with the same settings and console. */
public final class KernelLoggerFactory implements ILoggerFactory {
    private final LogSettings settings;
    private final PrintStream console;
    private final ConcurrentMap<String, KernelLogger> loggers = new ConcurrentHashMap<>();

    /**
     * @param settings levels for the ring and the console
     * @param console  where entries at or above the console level are printed
     */
    public KernelLoggerFactory(LogSettings settings, PrintStream console) {
        this.settings = settings;
        this.console = console;
    }

    @Override
    public Logger getLogger(String name) {
        return loggers.computeIfAbsent(name, n -> new KernelLogger(n, settings, console));
    }
}
