package dev.libos.jvm.net.dns;

import dev.libos.api.net.HostNetwork;
import dev.libos.api.net.HostNetwork.HostEntry;
import dev.libos.api.net.SystemNetwork;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JVM's name resolver once libos is on the class path. While a {@link SystemNetwork} is
 * installed it answers, in order: {@code localhost}; the network's hosts entries
 * ({@link HostNetwork#hosts()}); the image's hosts file ({@link HostsFile#IMAGE_HOSTS}, read once);
 * then the network's DNS servers over libos UDP ({@link DnsClient}). With no system network it is
 * the JDK's built-in resolver. IPv4 only.
 */
public final class LibosResolver implements InetAddressResolver {
    private static final byte[] LOOPBACK = {127, 0, 0, 1};
    private static final Logger LOG = LoggerFactory.getLogger(LibosResolver.class);

    private final InetAddressResolver builtin;
    private final Path hostsFile;
    private final DnsSettings settings;
    private final Function<HostNetwork, DnsClient> clients;
    private volatile List<HostEntry> fileEntries;

    public LibosResolver(InetAddressResolver builtin, Path hostsFile, DnsSettings settings) {
        this.builtin = builtin;
        this.hostsFile = hostsFile;
        this.settings = settings;
        SecureRandom ids = new SecureRandom();
        this.clients = network -> new DnsClient(network.sockets(), settings, ids);
    }

    @Override
    public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
        var network = SystemNetwork.current();
        if (network.isEmpty()) {
            return builtin.lookupByName(host, policy);
        }
        if ((policy.characteristics() & LookupPolicy.IPV4) == 0) {
            throw new UnknownHostException(host + ": libos resolves IPv4 addresses only, and IPv6 was asked for");
        }
        String name = DnsMessages.canonical(host);
        if (name.equals("localhost")) {
            return Stream.of(InetAddress.getByAddress(host, LOOPBACK));
        }
        List<InetAddress> fromHosts = matching(name, network.get().hosts());
        if (fromHosts.isEmpty()) {
            fromHosts = matching(name, fileEntries());
        }
        if (!fromHosts.isEmpty()) {
            return fromHosts.stream();
        }
        return clients.apply(network.get()).lookup(host, network.get().dnsServers()).stream();
    }

    @Override
    public String lookupByAddress(byte[] address) throws UnknownHostException {
        var network = SystemNetwork.current();
        if (network.isEmpty()) {
            return builtin.lookupByAddress(address);
        }
        if (Arrays.equals(address, LOOPBACK)) {
            return "localhost";
        }
        List<HostEntry> all = new ArrayList<>(network.get().hosts());
        all.addAll(fileEntries());
        for (HostEntry entry : all) {
            if (Arrays.equals(entry.address().getAddress(), address)) {
                return entry.name();
            }
        }
        throw new UnknownHostException("no hosts entry for " + Arrays.toString(address)
                + " (the libos resolver makes no PTR queries)");
    }

    private static List<InetAddress> matching(String name, List<HostEntry> entries) throws UnknownHostException {
        List<InetAddress> found = new ArrayList<>();
        for (HostEntry entry : entries) {
            if (DnsMessages.canonical(entry.name()).equals(name) && entry.address().getAddress().length == 4) {
                found.add(InetAddress.getByAddress(entry.name(), entry.address().getAddress()));
            }
        }
        return found;
    }

    /** The hosts file's entries, read on first use (the image's files volume does not change). */
    private List<HostEntry> fileEntries() {
        List<HostEntry> entries = fileEntries;
        if (entries == null) {
            try {
                HostsFile.Parsed parsed = HostsFile.read(HostsFile.locate(hostsFile));
                if (parsed.skippedLines() > 0) {
                    LOG.warn("{}: {} lines not understood, skipped", hostsFile, parsed.skippedLines());
                }
                entries = parsed.entries();
            } catch (IOException | RuntimeException e) {
                LOG.warn("{} not used: {}", hostsFile, e.toString());
                entries = List.of();
            }
            fileEntries = entries;
        }
        return entries;
    }

    @Override
    public String toString() {
        return "LibosResolver[" + hostsFile + ", " + settings + "]";
    }

}
