package dev.libos.jvm.net.dns;

import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.nio.file.Path;

/**
 * Registered with {@link java.util.ServiceLoader}: the JDK loads it on its first name lookup
 * (JEP 418) and uses its {@link LibosResolver} for the rest of the JVM's life. The resolver follows
 * the system network on each call, so loading it before libos boots is harmless.
 * {@code -Dlibos.hosts.file=PATH} names another hosts file (default {@code /files/etc/hosts}).
 */
public final class LibosResolverProvider extends InetAddressResolverProvider {
    public static final String HOSTS_FILE_PROPERTY = "libos.hosts.file";

    @Override
    public InetAddressResolver get(Configuration configuration) {
        String file = System.getProperty(HOSTS_FILE_PROPERTY);
        Path hosts = file == null || file.isBlank() ? HostsFile.IMAGE_HOSTS : Path.of(file);
        return new LibosResolver(configuration.builtinResolver(), hosts, DnsSettings.fromSystemProperties());
    }

    @Override
    public String name() {
        return "libos";
    }
}
