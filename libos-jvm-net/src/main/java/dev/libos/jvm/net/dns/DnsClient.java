package dev.libos.jvm.net.dns;

import dev.libos.api.net.BlockingSockets;
import dev.libos.api.net.Network;
import dev.libos.api.net.UdpSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * A stub resolver over libos UDP (RFC 1035 section 7, RFC 1123 6.1.3.3): asks each server in turn,
 * {@link DnsSettings#attempts()} times, for the A records of a name. Replies from another address
 * or port, with another ID, or malformed are dropped and counted, and the wait goes on (an
 * off-path forgery must not end a lookup). A name error (NXDOMAIN) is final; a server failure,
 * refusal, truncation or timeout moves on to the next server.
 */
public final class DnsClient {
    /** RFC 1035 4.2.1: DNS over UDP is at most 512 bytes without EDNS; read more to tell truncation. */
    private static final int REPLY_BUFFER_BYTES = 4096;
    private static final int DNS_PORT = 53;

    private final Network network;
    private final DnsSettings settings;
    private final RandomGenerator ids;
    private final AtomicLong droppedReplies = new AtomicLong();

    /**
     * @param ids source of query IDs: unpredictable ones (a {@code SecureRandom}) make forged
     *            replies harder to match (RFC 5452)
     */
    public DnsClient(Network network, DnsSettings settings, RandomGenerator ids) {
        this.network = network;
        this.settings = settings;
        this.ids = ids;
    }

    /** Replies dropped so far: wrong source, wrong ID or question, malformed. */
    public long droppedReplies() {
        return droppedReplies.get();
    }

    /**
     * The IPv4 addresses of {@code name}.
     *
     * @throws UnknownHostException naming the host and why: no such name, no address, no server
     *         answered (naming the servers), or none configured
     */
    public List<InetAddress> lookup(String name, List<InetAddress> servers) throws UnknownHostException {
        DnsMessages.encodeName(name); // a name that cannot be asked fails before any traffic
        if (servers.isEmpty()) {
            throw new UnknownHostException(name + ": not in the hosts entries, and no DNS server is configured");
        }
        StringBuilder failures = new StringBuilder();
        for (InetAddress server : servers) {
            for (int attempt = 1; attempt <= settings.attempts(); attempt++) {
                DnsMessages.Reply reply;
                try {
                    reply = ask(name, new InetSocketAddress(server, DNS_PORT));
                } catch (SocketTimeoutException e) {
                    failures.append(failures.isEmpty() ? "" : "; ").append(server.getHostAddress()).append(": timed out");
                    continue;
                } catch (IOException e) {
                    failures.append(failures.isEmpty() ? "" : "; ").append(server.getHostAddress()).append(": ").append(e.getMessage());
                    break;
                }
                if (reply.rcode() == DnsMessages.RCODE_NAME_ERROR) {
                    throw new UnknownHostException(name + ": no such name (NXDOMAIN from " + server.getHostAddress() + ")");
                }
                if (reply.rcode() == DnsMessages.RCODE_NO_ERROR && !reply.truncated()) {
                    if (reply.addresses().isEmpty()) {
                        throw new UnknownHostException(name + ": has no IPv4 address (DNS server " + server.getHostAddress() + ")");
                    }
                    return reply.addresses();
                }
                failures.append(failures.isEmpty() ? "" : "; ").append(server.getHostAddress())
                        .append(reply.truncated() ? ": truncated reply (no TCP fallback)" : ": RCODE " + reply.rcode());
                break; // this server will not do better: the next one
            }
        }
        throw new UnknownHostException(name + ": no answer from the DNS servers (" + settings.attempts()
                + " attempts of " + settings.timeoutMillis() + " ms each): " + failures);
    }

    /** One query and the wait for its reply. */
    private DnsMessages.Reply ask(String name, InetSocketAddress server) throws IOException {
        int id = ids.nextInt(1 << 16);
        byte[] query = DnsMessages.query(id, name);
        try (UdpSocket socket = network.openUdp()) {
            socket.bind(new InetSocketAddress(0));
            if (socket.send(ByteBuffer.wrap(query), server) == 0) {
                throw new IOException("the query could not be sent");
            }
            long deadline = System.nanoTime() + settings.timeoutMillis() * 1_000_000L;
            byte[] reply = new byte[REPLY_BUFFER_BYTES];
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new SocketTimeoutException("no reply");
                }
                ByteBuffer buffer = ByteBuffer.wrap(reply);
                InetSocketAddress from = BlockingSockets.receive(socket, buffer, left);
                if (!from.equals(server)) {
                    droppedReplies.incrementAndGet(); // RFC 5452 section 4: only the server's address and port
                    continue;
                }
                try {
                    return DnsMessages.parseReply(reply, buffer.position(), id, name);
                } catch (DnsFormatException e) {
                    droppedReplies.incrementAndGet();
                }
            }
        }
    }
}
