package dev.libos.slf4j;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J 2 provider of libos-slf4j (found by {@code ServiceLoader} through
 * {@code META-INF/services/org.slf4j.spi.SLF4JServiceProvider}): loggers that write into the
 * kernel log ring and to the console ({@link KernelLogger}). Settings, read once at
 * initialisation ({@link LogSettings}): {@code libos.log.level} (entries below it are dropped,
 * default INFO) and {@code libos.log.consoleLevel} (entries at or above it are also printed on
 * standard error, default INFO; OFF prints none).
 */
public final class KernelLogServiceProvider implements SLF4JServiceProvider {
    /** The SLF4J API version this provider is written against. */
    public static final String REQUESTED_API_VERSION = "2.0.99";

    private KernelLoggerFactory loggerFactory;
    private IMarkerFactory markerFactory;
    private MDCAdapter mdcAdapter;

    @Override
    public void initialize() {
        loggerFactory = new KernelLoggerFactory(LogSettings.fromSystemProperties(), System.err);
        markerFactory = new BasicMarkerFactory();
        mdcAdapter = new NOPMDCAdapter();
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggerFactory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markerFactory;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdcAdapter;
    }

    @Override
    public String getRequestedApiVersion() {
        return REQUESTED_API_VERSION;
    }
}
