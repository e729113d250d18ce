package dev.libos.jvm.net.dns;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds DNS replies byte by byte for tests, correct or deliberately not. */
final class DnsReplies {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** A reply header: ID, flags (QR set by the caller), counts. */
    static DnsReplies header(int id, int flags, int questions, int answers) {
        DnsReplies r = new DnsReplies();
        r.u16(id).u16(flags).u16(questions).u16(answers).u16(0).u16(0);
        return r;
    }

    /** A normal reply header: QR, RD, RA, RCODE 0. */
    static DnsReplies ok(int id, int answers) {
        return header(id, 0x8180, 1, answers);
    }

    DnsReplies u8(int v) {
        out.write(v);
        return this;
    }

    DnsReplies u16(int v) {
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    DnsReplies u32(long v) {
        return u16((int) (v >>> 16)).u16((int) v);
    }

    /** A name as labels ending in a zero byte. */
    DnsReplies name(String dotted) {
        for (String label : dotted.split("\\.")) {
            byte[] bytes = label.getBytes(StandardCharsets.US_ASCII);
            out.write(bytes.length);
            out.writeBytes(bytes);
        }
        out.write(0);
        return this;
    }

    /** A compression pointer to {@code offset}. */
    DnsReplies pointer(int offset) {
        return u16(0xC000 | offset);
    }

    /** The question for {@code name} A IN. */
    DnsReplies question(String name) {
        return name(name).u16(DnsMessages.TYPE_A).u16(DnsMessages.CLASS_IN);
    }

    /** An A record whose owner is a pointer to the question's name (offset 12). */
    DnsReplies answerA(int a, int b, int c, int d) {
        return pointer(12).u16(DnsMessages.TYPE_A).u16(DnsMessages.CLASS_IN).u32(300).u16(4).u8(a).u8(b).u8(c).u8(d);
    }

    int size() {
        return out.size();
    }

    byte[] bytes() {
        return out.toByteArray();
    }
}
