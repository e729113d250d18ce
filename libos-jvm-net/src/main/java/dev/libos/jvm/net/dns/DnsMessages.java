package dev.libos.jvm.net.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The DNS messages the resolver sends and reads (RFC 1035 section 4): a recursive A query for one
 * name, and the reply's answers to it.
 *
 * <pre>
 * Header (4.1.1)                        Resource record (4.1.3)
 *  0  ID                                 NAME (labels or a pointer)
 *  2  QR|Opcode|AA|TC|RD|RA|Z|RCODE      TYPE (2), CLASS (2), TTL (4)
 *  4  QDCOUNT  6  ANCOUNT                RDLENGTH (2), RDATA
 *  8  NSCOUNT 10  ARCOUNT
 * </pre>
 *
 * <p>Replies are untrusted: every read is bounds-checked with overflow-safe arithmetic, names
 * are read with a limit on compression pointers (4.1.4) and on length (255 bytes, 2.3.4), and
 * any violation is a {@link DnsFormatException} naming it.
 */
public final class DnsMessages {
    static final int HEADER_BYTES = 12;
    static final int TYPE_A = 1;
    static final int TYPE_CNAME = 5;
    static final int CLASS_IN = 1;
    static final int MAX_NAME_BYTES = 255;
    static final int MAX_LABEL_BYTES = 63;
    /** Compression pointers followed while reading one name; more means a loop or a hostile reply. */
    static final int MAX_POINTERS = 32;
    static final int RCODE_NO_ERROR = 0;
    static final int RCODE_NAME_ERROR = 3;

    private DnsMessages() {
    }

    /**
     * A query for the A records of {@code name}, recursion desired.
     *
     * @throws UnknownHostException for a name that cannot be a DNS name (empty label, label over 63
     *         bytes, name over 255 bytes, non-ASCII)
     */
    public static byte[] query(int id, String name) throws UnknownHostException {
        byte[] qname = encodeName(name);
        byte[] message = new byte[HEADER_BYTES + qname.length + 4];
        putShort(message, 0, id);
        putShort(message, 2, 0x0100); // RD (4.1.1): ask the server to recurse
        putShort(message, 4, 1); // QDCOUNT
        System.arraycopy(qname, 0, message, HEADER_BYTES, qname.length);
        putShort(message, HEADER_BYTES + qname.length, TYPE_A);
        putShort(message, HEADER_BYTES + qname.length + 2, CLASS_IN);
        return message;
    }

    static byte[] encodeName(String name) throws UnknownHostException {
        String trimmed = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (trimmed.isEmpty()) {
            throw new UnknownHostException(name + ": not a DNS name (empty)");
        }
        byte[] ascii = trimmed.getBytes(StandardCharsets.US_ASCII);
        if (!new String(ascii, StandardCharsets.US_ASCII).equals(trimmed)) {
            throw new UnknownHostException(name + ": not a DNS name (non-ASCII; use its IDN A-label form)");
        }
        byte[] encoded = new byte[ascii.length + 2];
        int out = 0;
        int start = 0;
        for (int i = 0; i <= ascii.length; i++) {
            if (i == ascii.length || ascii[i] == '.') {
                int length = i - start;
                if (length == 0 || length > MAX_LABEL_BYTES) {
                    throw new UnknownHostException(name + ": not a DNS name (a label is empty or over 63 bytes)");
                }
                encoded[out++] = (byte) length;
                System.arraycopy(ascii, start, encoded, out, length);
                out += length;
                start = i + 1;
            }
        }
        encoded[out++] = 0;
        if (out > MAX_NAME_BYTES) {
            throw new UnknownHostException(name + ": not a DNS name (over 255 bytes)");
        }
        return encoded;
    }

    /** What a reply says about the question. */
    public record Reply(int rcode, boolean truncated, List<InetAddress> addresses) {
    }

    /**
     * Parses {@code reply} (its first {@code length} bytes) as the answer to the A query {@code id}
     * for {@code name}: the A records of the name, or of the names a CNAME chain in the answer
     * leads to.
     *
     * @throws DnsFormatException when it is malformed or answers another question
     */
    public static Reply parseReply(byte[] reply, int length, int id, String name) throws DnsFormatException {
        if (length < 0 || length > reply.length) {
            throw new IllegalArgumentException("length " + length + " outside the buffer of " + reply.length);
        }
        if (length < HEADER_BYTES) {
            throw new DnsFormatException("reply of " + length + " bytes is shorter than the 12-byte header");
        }
        Reader in = new Reader(reply, length);
        if (in.u16(0) != id) {
            throw new DnsFormatException("reply ID " + in.u16(0) + " is not the query's " + id);
        }
        int flags = in.u16(2);
        if ((flags & 0x8000) == 0) {
            throw new DnsFormatException("QR is 0: a query, not a reply");
        }
        if (((flags >> 11) & 0xF) != 0) {
            throw new DnsFormatException("opcode " + ((flags >> 11) & 0xF) + " is not QUERY");
        }
        int rcode = flags & 0xF;
        boolean truncated = (flags & 0x0200) != 0;
        if (in.u16(4) != 1) {
            throw new DnsFormatException("QDCOUNT " + in.u16(4) + ", not the one question asked");
        }
        int answers = in.u16(6);
        String wanted = canonical(name);
        Name question = in.name(HEADER_BYTES);
        int position = question.end();
        if (!question.text().equals(wanted) || in.u16(position) != TYPE_A || in.u16(Math.addExact(position, 2)) != CLASS_IN) {
            throw new DnsFormatException("the reply's question (" + question.text() + ") is not the query's (" + wanted + " A IN)");
        }
        position = Math.addExact(position, 4);
        Set<String> owners = new HashSet<>();
        owners.add(wanted);
        List<InetAddress> addresses = new ArrayList<>();
        for (int i = 0; i < answers; i++) {
            Name owner = in.name(position);
            int type = in.u16(owner.end());
            int rrClass = in.u16(Math.addExact(owner.end(), 2));
            int rdLength = in.u16(Math.addExact(owner.end(), 8));
            int rdata = Math.addExact(owner.end(), 10);
            int next = Math.addExact(rdata, rdLength);
            in.require(rdata, rdLength);
            if (rrClass == CLASS_IN && owners.contains(owner.text())) {
                if (type == TYPE_A) {
                    if (rdLength != 4) {
                        throw new DnsFormatException("an A record's RDLENGTH is " + rdLength + ", not 4");
                    }
                    addresses.add(address(name, in.bytes(rdata, 4)));
                } else if (type == TYPE_CNAME) {
                    Name target = in.name(rdata);
                    if (target.end() != next) {
                        throw new DnsFormatException("a CNAME's name does not fill its RDLENGTH " + rdLength);
                    }
                    owners.add(target.text());
                }
            }
            position = next;
        }
        return new Reply(rcode, truncated, List.copyOf(addresses));
    }

    private static InetAddress address(String name, byte[] bytes) {
        try {
            return InetAddress.getByAddress(name, bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 bytes are always an IPv4 address", e);
        }
    }

    /** Names compare without case (RFC 4343) and without a final dot. */
    static String canonical(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    private static void putShort(byte[] b, int offset, int value) {
        b[offset] = (byte) (value >>> 8);
        b[offset + 1] = (byte) value;
    }

    private record Name(String text, int end) {
    }

    /** Bounds-checked reads of the first {@code length} bytes. */
    private static final class Reader {
        private final byte[] b;
        private final int length;

        Reader(byte[] b, int length) {
            this.b = b;
            this.length = length;
        }

        void require(int offset, int count) throws DnsFormatException {
            if (offset < 0 || count < 0 || count > length || offset > length - count) {
                throw new DnsFormatException("reply ends at byte " + length + ", a field needs " + count
                        + " bytes at " + offset);
            }
        }

        int u8(int offset) throws DnsFormatException {
            require(offset, 1);
            return b[offset] & 0xFF;
        }

        int u16(int offset) throws DnsFormatException {
            require(offset, 2);
            return (b[offset] & 0xFF) << 8 | b[offset + 1] & 0xFF;
        }

        byte[] bytes(int offset, int count) throws DnsFormatException {
            require(offset, count);
            byte[] copy = new byte[count];
            System.arraycopy(b, offset, copy, 0, count);
            return copy;
        }

        /**
         * Reads a name at {@code offset} (4.1.4): labels ending in a zero byte or a pointer. A
         * pointer must point before the label that holds it, and at most {@link #MAX_POINTERS}
         * are followed, so a hostile reply cannot make the reader loop.
         */
        Name name(int offset) throws DnsFormatException {
            StringBuilder text = new StringBuilder();
            int position = offset;
            int end = -1;
            int pointers = 0;
            int wireBytes = 1; // the final zero
            while (true) {
                int length = u8(position);
                if ((length & 0xC0) == 0xC0) {
                    int target = (length & 0x3F) << 8 | u8(Math.addExact(position, 1));
                    if (end < 0) {
                        end = Math.addExact(position, 2);
                    }
                    if (++pointers > MAX_POINTERS) {
                        throw new DnsFormatException("more than " + MAX_POINTERS + " compression pointers in a name");
                    }
                    if (target >= position) {
                        throw new DnsFormatException("compression pointer at " + position + " points forward to " + target);
                    }
                    position = target;
                    continue;
                }
                if ((length & 0xC0) != 0) {
                    throw new DnsFormatException("label type " + (length >> 6) + " at " + position + " is not defined");
                }
                if (length == 0) {
                    if (end < 0) {
                        end = Math.addExact(position, 1);
                    }
                    return new Name(text.toString().toLowerCase(Locale.ROOT), end);
                }
                wireBytes = Math.addExact(wireBytes, length + 1);
                if (wireBytes > MAX_NAME_BYTES) {
                    throw new DnsFormatException("a name is longer than 255 bytes");
                }
                int start = Math.addExact(position, 1);
                require(start, length);
                if (!text.isEmpty()) {
                    text.append('.');
                }
                for (int i = 0; i < length; i++) {
                    char c = (char) (b[start + i] & 0xFF);
                    text.append(c == '.' ? '\u0000' : c); // a dot inside a label must not join labels
                }
                position = start + length;
            }
        }
    }
}
