package dev.libos.jvm.net.dns;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DnsMessagesTest {
    private static final int ID = 0x1234;

    private static List<InetAddress> addresses(byte[] reply, String name) throws DnsFormatException {
        return DnsMessages.parseReply(reply, reply.length, ID, name).addresses();
    }

    private static String reason(byte[] reply, String name) {
        return assertThrows(DnsFormatException.class, () -> DnsMessages.parseReply(reply, reply.length, ID, name))
                .getMessage();
    }

    @Test
    void aQueryIsTheRfc1035Layout() throws Exception {
        byte[] query = DnsMessages.query(0xBEEF, "www.example.com");
        assertEquals("beef01000001000000000000" + "03777777076578616d706c6503636f6d00" + "00010001",
                HexFormat.of().formatHex(query));
        assertArrayEquals(DnsMessages.query(1, "a.b"), DnsMessages.query(1, "a.b."), "a final dot changes nothing");
        assertThrows(UnknownHostException.class, () -> DnsMessages.query(1, "a..b"));
        assertThrows(UnknownHostException.class, () -> DnsMessages.query(1, "x".repeat(64) + ".com"));
        assertThrows(UnknownHostException.class, () -> DnsMessages.query(1, ("a".repeat(60) + ".").repeat(5)));
        assertThrows(UnknownHostException.class, () -> DnsMessages.query(1, "bücher.de"));
    }

    @Test
    void answersAreTheARecordsOfTheNameAndOfItsCnameChain() throws Exception {
        byte[] reply = DnsReplies.ok(ID, 2).question("WWW.Example.com").answerA(10, 0, 0, 2).answerA(10, 0, 0, 3).bytes();
        assertEquals(List.of(InetAddress.getByName("10.0.0.2"), InetAddress.getByName("10.0.0.3")),
                addresses(reply, "www.example.com"), "names compare without case");

        DnsReplies chain = DnsReplies.ok(ID, 3).question("www.example.com");
        int cnameTarget = chain.size() + 12;
        chain.pointer(12).u16(DnsMessages.TYPE_CNAME).u16(DnsMessages.CLASS_IN).u32(60).u16(9).name("cdn.net");
        chain.pointer(cnameTarget).u16(DnsMessages.TYPE_A).u16(DnsMessages.CLASS_IN).u32(60).u16(4).u8(192).u8(0).u8(2).u8(7);
        chain.name("other.org").u16(DnsMessages.TYPE_A).u16(DnsMessages.CLASS_IN).u32(60).u16(4).u8(6).u8(6).u8(6).u8(6);
        assertEquals(List.of(InetAddress.getByName("192.0.2.7")), addresses(chain.bytes(), "www.example.com"),
                "the CNAME's target counts, an unrelated owner does not");
    }

    @Test
    void theRcodeAndTruncationAreReported() throws Exception {
        byte[] nxdomain = DnsReplies.header(ID, 0x8183, 1, 0).question("gone.test").bytes();
        assertEquals(DnsMessages.RCODE_NAME_ERROR, DnsMessages.parseReply(nxdomain, nxdomain.length, ID, "gone.test").rcode());
        byte[] truncated = DnsReplies.header(ID, 0x8380, 1, 0).question("big.test").bytes();
        assertTrue(DnsMessages.parseReply(truncated, truncated.length, ID, "big.test").truncated());
    }

    @Test
    void repliesToAnotherQueryAreRejected() {
        assertTrue(reason(DnsReplies.ok(ID + 1, 0).question("a.test").bytes(), "a.test").contains("ID"));
        assertTrue(reason(DnsReplies.header(ID, 0x0100, 1, 0).question("a.test").bytes(), "a.test").contains("QR"));
        assertTrue(reason(DnsReplies.ok(ID, 0).question("b.test").bytes(), "a.test").contains("question"));
        assertTrue(reason(DnsReplies.header(ID, 0x8180, 2, 0).question("a.test").question("a.test").bytes(), "a.test")
                .contains("QDCOUNT"));
        assertTrue(reason(DnsReplies.header(ID, 0x8180 | 0x2000, 1, 0).question("a.test").bytes(), "a.test")
                .contains("opcode"));
    }

    @Test
    void malformedRepliesAreRejectedNamingTheField() {
        assertTrue(reason(new byte[11], "a.test").contains("12-byte header"));
        byte[] short_ = DnsReplies.ok(ID, 1).question("a.test").answerA(1, 2, 3, 4).bytes();
        byte[] cut = java.util.Arrays.copyOf(short_, short_.length - 2);
        assertTrue(reason(cut, "a.test").contains("reply ends"));
        // RDLENGTH 65535: offset + length must not overflow or pass the end
        byte[] huge = DnsReplies.ok(ID, 1).question("a.test").pointer(12).u16(1).u16(1).u32(1).u16(0xFFFF).u8(1).bytes();
        assertTrue(reason(huge, "a.test").contains("reply ends"));
        byte[] longA = DnsReplies.ok(ID, 1).question("a.test").pointer(12).u16(1).u16(1).u32(1).u16(5)
                .u8(1).u8(2).u8(3).u8(4).u8(5).bytes();
        assertTrue(reason(longA, "a.test").contains("RDLENGTH"));
        // ANCOUNT says 5, one is there
        byte[] missing = DnsReplies.ok(ID, 5).question("a.test").answerA(1, 2, 3, 4).bytes();
        assertTrue(reason(missing, "a.test").contains("reply ends"));
    }

    @Test
    void compressionLoopsAndForwardPointersEnd() {
        // the question name is a pointer to itself
        byte[] self = DnsReplies.ok(ID, 0).pointer(12).u16(1).u16(1).bytes();
        assertTrue(reason(self, "a.test").contains("points forward"), reason(self, "a.test"));
        // an answer's owner: label "a" then a pointer back to that label: a loop
        DnsReplies loop = DnsReplies.ok(ID, 1).question("a.test");
        int at = loop.size();
        loop.u8(1).u8('a').pointer(at).u16(1).u16(1).u32(1).u16(4).u32(0);
        String why = reason(loop.bytes(), "a.test");
        assertTrue(why.contains("compression pointers") || why.contains("longer than 255"), why);
        // reserved label types 01 and 10
        byte[] reserved = DnsReplies.ok(ID, 0).u8(0x40).u8(0).u16(1).u16(1).bytes();
        assertTrue(reason(reserved, "a.test").contains("label type"));
        // a name that grows past 255 bytes through labels
        DnsReplies longName = DnsReplies.ok(ID, 0);
        for (int i = 0; i < 5; i++) {
            longName.u8(63);
            for (int j = 0; j < 63; j++) {
                longName.u8('x');
            }
        }
        longName.u8(0).u16(1).u16(1);
        assertTrue(reason(longName.bytes(), "a.test").contains("255"));
    }

    @Test
    void aLabelWithADotDoesNotPassForTwoLabels() {
        byte[] sneaky = DnsReplies.ok(ID, 0).u8(6).u8('a').u8('.').u8('t').u8('e').u8('s').u8('t').u8(0).u16(1).u16(1).bytes();
        assertTrue(reason(sneaky, "a.test").contains("question"));
    }

    /**
     * Random bytes and mutations of a valid reply: parsing returns or throws DnsFormatException,
     * nothing else, and an accepted reply only holds 4-byte addresses.
     */
    @Test
    void seededFuzzNeverThrowsAnythingElse() {
        long seed = Long.getLong("libos.test.seed", System.nanoTime());
        int cases = Integer.getInteger("libos.dns.fuzz.cases", 50_000);
        System.out.println("DnsMessagesTest fuzz seed " + seed + " (-Dlibos.test.seed=" + seed + "), " + cases + " cases");
        SplittableRandom random = new SplittableRandom(seed);
        DnsReplies base = DnsReplies.ok(ID, 3).question("www.example.com");
        int cname = base.size() + 12;
        base.pointer(12).u16(DnsMessages.TYPE_CNAME).u16(1).u32(60).u16(9).name("cdn.net");
        base.pointer(cname).u16(1).u16(1).u32(60).u16(4).u32(0x0A000001L).answerA(10, 0, 0, 2);
        byte[] valid = base.bytes();
        int accepted = 0;
        for (int i = 0; i < cases; i++) {
            byte[] reply;
            if (random.nextInt(4) == 0) {
                reply = new byte[random.nextInt(600)];
                random.nextBytes(reply);
                if (reply.length >= 2) {
                    reply[0] = 0x12;
                    reply[1] = 0x34;
                }
            } else {
                reply = valid.clone();
                int flips = 1 + random.nextInt(6);
                for (int f = 0; f < flips; f++) {
                    reply[12 + random.nextInt(reply.length - 12)] = (byte) random.nextInt(256);
                }
                if (random.nextInt(4) == 0) {
                    reply = java.util.Arrays.copyOf(reply, random.nextInt(reply.length + 1));
                }
            }
            try {
                DnsMessages.Reply parsed = DnsMessages.parseReply(reply, reply.length, ID, "www.example.com");
                accepted++;
                for (InetAddress a : parsed.addresses()) {
                    assertEquals(4, a.getAddress().length);
                }
            } catch (DnsFormatException expected) {
                // dropped
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + " case " + i + ": " + HexFormat.of().formatHex(reply), e);
            }
        }
        System.out.println("DnsMessagesTest fuzz: " + accepted + " of " + cases + " accepted");
        assertTrue(accepted > 0, "some mutations keep the reply valid");
    }
}
