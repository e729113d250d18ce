package dev.libos.net.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The reused header holds its timestamps as numbers beside shared options: it must emit the
 * bytes the record emits, parse to the record that emitted them, and make no options object
 * for a flow whose timestamps change on every segment.
 */
class MutableTcpHeaderTest {
    private static final int CASES = 2_000;
    private static final Ipv4Address SRC = Ipv4Address.parse("192.0.2.1");
    private static final Ipv4Address DST = Ipv4Address.parse("192.0.2.2");

    @Test
    void emitsAndParsesAsTheRecordDoesWithTimestampsAsNumbers() {
        long seed = TestSeeds.seed("MutableTcpHeaderTest.emitsAndParsesAsTheRecordDoes");
        RandomReprs r = new RandomReprs(new SplittableRandom(seed));
        MutableTcpHeader header = new MutableTcpHeader();
        TcpSegment view = new TcpSegment();
        int withTimestamps = 0;
        for (int i = 0; i < CASES; i++) {
            TcpRepr repr = r.tcp(r.payloadLength(200));
            String where = "seed " + seed + " case " + i + " " + repr;
            TcpOptions options = repr.options();
            TcpTimestamps ts = options.timestamps();
            header.set(repr.sourcePort(), repr.destinationPort(), repr.sequenceNumber(),
                    repr.acknowledgementNumber(), repr.flags(), repr.window(), repr.urgentPointer(),
                    ts == null ? options : options.withTimestamps(null), repr.payloadLength());
            if (ts != null) {
                header.setTimestamps(ts.value(), ts.echoReply());
                withTimestamps++;
            }
            assertEquals(repr.headerLength(), header.headerLength(), where);
            assertEquals(repr, header.toRepr(), where);
            byte[] fromRecord = emit(repr, view);
            byte[] fromHeader = emit(header, view);
            assertArrayEquals(fromRecord, fromHeader, where);

            MemorySegment segment = MemorySegment.ofArray(fromHeader);
            assertEquals(WireCheck.OK, view.wrapChecked(segment, 0, fromHeader.length, SRC.value(), DST.value()), where);
            MutableTcpHeader parsed = new MutableTcpHeader();
            parsed.set(view, TcpOptions.NONE);
            assertEquals(repr, parsed.toRepr(), where);
            assertEquals(ts != null, parsed.hasTimestamps(), where);
            assertEquals(options.sackBlocks(), parsed.sackBlocks(), where);
        }
        assertTrue(withTimestamps > CASES / 10, "too few cases with timestamps; seed " + seed);
    }

    @Test
    void aFlowWithNewTimestampsOnEverySegmentSharesItsOptions() {
        TcpRepr first = segment(new TcpTimestamps(1, 2));
        TcpRepr second = segment(new TcpTimestamps(3, 4));
        TcpSegment view = new TcpSegment();
        MutableTcpHeader header = new MutableTcpHeader();
        TcpOptions shared = header.set(wrap(first, view), TcpOptions.NONE);
        assertSame(TcpOptions.NONE, shared, "timestamps only: nothing beside them");
        assertEquals(1, header.timestampValue());
        assertSame(shared, header.set(wrap(second, view), shared));
        assertEquals(3, header.timestampValue());
        assertEquals(4, header.timestampEchoReply());
        assertEquals(second, header.toRepr());
    }

    @Test
    void timestampsMustBeAbsentFromTheOptionsAndFit() {
        MutableTcpHeader header = new MutableTcpHeader();
        header.set(1, 2, 0, 0, TcpFlags.ACK, 0, 0, new TcpOptions(TcpOptions.ABSENT, TcpOptions.ABSENT, false,
                List.of(), new TcpTimestamps(1, 1)), 0);
        assertThrows(IllegalArgumentException.class, () -> header.setTimestamps(2, 2));
        List<SackBlock> four = List.of(new SackBlock(1, 2), new SackBlock(3, 4), new SackBlock(5, 6),
                new SackBlock(7, 8));
        header.set(1, 2, 0, 0, TcpFlags.ACK, 0, 0, new TcpOptions(TcpOptions.ABSENT, TcpOptions.ABSENT, false, four,
                null), 0);
        assertThrows(IllegalArgumentException.class, () -> header.setTimestamps(2, 2), "4 SACK blocks leave no room");
    }

    private static TcpRepr segment(TcpTimestamps timestamps) {
        return new TcpRepr(1000, 2000, 7, 9, TcpFlags.ACK, 100, 0,
                new TcpOptions(TcpOptions.ABSENT, TcpOptions.ABSENT, false, List.of(), timestamps), 0);
    }

    private static TcpSegment wrap(TcpRepr repr, TcpSegment view) {
        byte[] bytes = emit(repr, view);
        return view.wrap(MemorySegment.ofArray(bytes), 0, bytes.length);
    }

    private static byte[] emit(TcpHeader header, TcpSegment view) {
        byte[] bytes = new byte[header.bufferLength()];
        MemorySegment segment = MemorySegment.ofArray(bytes);
        for (int i = 0; i < header.payloadLength(); i++) {
            segment.set(ValueLayout.JAVA_BYTE, header.headerLength() + i, (byte) i);
        }
        header.emit(view.wrap(segment, 0, bytes.length), SRC, DST);
        return bytes;
    }
}
