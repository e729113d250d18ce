package dev.libos.net.wire;

import static dev.libos.net.wire.TcpDescriptor.*;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The TCP options this stack understands; unknown options are skipped by their length on
 * receipt (RFC 9293 section 3.2: "A TCP implementation MUST be able to receive a TCP option in
 * any segment" and MUST ignore options it does not implement).
 *
 * <p>Emitted in a fixed order: MSS, window scale, SACK permitted, timestamps, SACK blocks. When
 * it fits the 40 option bytes each option is NOP-padded to a 4-byte boundary (the layout of
 * RFC 7323 appendix A); otherwise (for instance window scale, timestamps and three SACK
 * blocks, which fit on the wire unpadded) the options are packed and the area is padded with
 * EOL to a multiple of 4. Any set of options that parsing can produce can be emitted.
 *
 * @param maxSegmentSize 0 to 65535, or {@link #ABSENT}
 * @param windowScale    shift count 0 to 255 as received (RFC 7323 section 2.3 caps its use at
 *                       14, which is the connection's business), or {@link #ABSENT}
 * @param sackPermitted  SACK permitted option present
 * @param sackBlocks     0 to 4 SACK blocks (empty: no SACK option)
 * @param timestamps     the timestamps option, or null when absent
 */
public record TcpOptions(int maxSegmentSize, int windowScale, boolean sackPermitted, List<SackBlock> sackBlocks,
                         TcpTimestamps timestamps) {
    /** Value of {@link #maxSegmentSize} and {@link #windowScale} when the option is absent. */
    public static final int ABSENT = -1;
    /** No options at all. */
    public static final TcpOptions NONE = new TcpOptions(ABSENT, ABSENT, false, List.of(), null);
    /** Stands for "a timestamps option" in length computations. */
    private static final TcpTimestamps TIMESTAMPS_PRESENT = new TcpTimestamps(0, 0);

    /** Validates the fields, and that the encoding fits the 40 option bytes. */
    public TcpOptions {
        if (maxSegmentSize != ABSENT) {
            Bytes.requireU16("maxSegmentSize", maxSegmentSize);
        }
        if (windowScale != ABSENT) {
            Bytes.requireU8("windowScale", windowScale);
        }
        sackBlocks = sackBlocks == null ? List.of() : List.copyOf(sackBlocks);
        if (sackBlocks.size() > MAX_SACK_BLOCKS) {
            throw new IllegalArgumentException("at most 4 SACK blocks: " + sackBlocks.size());
        }
        int packed = roundUpTo4(packedLength(maxSegmentSize, windowScale, sackPermitted, sackBlocks.size(),
                timestamps));
        if (packed > MAX_OPTIONS_LENGTH) {
            throw new IllegalArgumentException("options need " + packed + " bytes, more than 40: MSS="
                    + maxSegmentSize + " WS=" + windowScale + " SACKperm=" + sackPermitted + " SACK blocks="
                    + sackBlocks.size() + " TS=" + timestamps);
        }
    }

    private static int roundUpTo4(int length) {
        return (length + 3) & ~3;
    }

    private static int packedLength(int mss, int windowScale, boolean sackPermitted, int sackBlocks,
                                    TcpTimestamps timestamps) {
        return (mss != ABSENT ? OPTION_MSS_LENGTH : 0) + (windowScale != ABSENT ? OPTION_WINDOW_SCALE_LENGTH : 0)
                + (sackPermitted ? OPTION_SACK_PERMITTED_LENGTH : 0)
                + (timestamps != null ? OPTION_TIMESTAMPS_LENGTH : 0)
                + (sackBlocks > 0 ? 2 + SACK_BLOCK_LENGTH * sackBlocks : 0);
    }

    private int alignedLength(boolean withTimestamps) {
        return (maxSegmentSize != ABSENT ? 4 : 0) + (windowScale != ABSENT ? 4 : 0) + (sackPermitted ? 4 : 0)
                + (withTimestamps ? 12 : 0) + (sackBlocks.isEmpty() ? 0 : 4 + SACK_BLOCK_LENGTH * sackBlocks.size());
    }

    private boolean aligned(boolean withTimestamps) {
        return alignedLength(withTimestamps) <= MAX_OPTIONS_LENGTH;
    }

    /** Bytes these options occupy in the header, a multiple of 4 and at most 40. */
    public int encodedLength() {
        return encodedLength(timestamps != null);
    }

    /**
     * Bytes these options occupy with ({@code withTimestamps}) or without a timestamps option,
     * whatever {@link #timestamps} holds: for a header that carries its timestamps beside
     * shared options ({@link MutableTcpHeader}).
     */
    int encodedLength(boolean withTimestamps) {
        return aligned(withTimestamps) ? alignedLength(withTimestamps)
                : roundUpTo4(packedLength(maxSegmentSize, windowScale, sackPermitted, sackBlocks.size(),
                        withTimestamps ? TIMESTAMPS_PRESENT : null));
    }

    /** Whether these options plus a timestamps option fit the 40 option bytes. */
    boolean fitWithTimestamps() {
        return roundUpTo4(packedLength(maxSegmentSize, windowScale, sackPermitted, sackBlocks.size(),
                TIMESTAMPS_PRESENT)) <= MAX_OPTIONS_LENGTH;
    }

    /** These options with {@code timestamps} in place of theirs. */
    TcpOptions withTimestamps(TcpTimestamps newTimestamps) {
        return new TcpOptions(maxSegmentSize, windowScale, sackPermitted, sackBlocks, newTimestamps);
    }

    /**
     * True when the options in [{@code start}, {@code end}) of {@code segment} are well formed:
     * every option but EOL and NOP has a length of at least 2 within the region, and the
     * options understood here have their defined length. RFC 9293 section 3.1 (MUST-7):
     * a TCP implementation "MUST be prepared to handle an illegal option length (e.g., zero)";
     * this stack drops such segments. Never throws for a region inside the segment.
     */
    static boolean wellFormed(MemorySegment segment, long start, long end) {
        long p = start;
        while (p < end) {
            int kind = Bytes.u8(segment, p);
            if (kind == OPTION_END) {
                return true;
            }
            if (kind == OPTION_NOP) {
                p++;
                continue;
            }
            if (p + 1 >= end) {
                return false;
            }
            int length = Bytes.u8(segment, p + 1);
            if (length < 2 || p + length > end) {
                return false;
            }
            boolean lengthRight = switch (kind) {
                case OPTION_MSS -> length == OPTION_MSS_LENGTH;
                case OPTION_WINDOW_SCALE -> length == OPTION_WINDOW_SCALE_LENGTH;
                case OPTION_SACK_PERMITTED -> length == OPTION_SACK_PERMITTED_LENGTH;
                case OPTION_TIMESTAMPS -> length == OPTION_TIMESTAMPS_LENGTH;
                case OPTION_SACK -> (length - 2) % SACK_BLOCK_LENGTH == 0 && length >= 2 + SACK_BLOCK_LENGTH;
                default -> true;
            };
            if (!lengthRight) {
                return false;
            }
            p += length;
        }
        return true;
    }

    /** Parses options that passed {@link #wellFormed}; a repeated option keeps its last value. */
    static TcpOptions parse(MemorySegment segment, long start, long end) {
        MutableTcpHeader timestamps = new MutableTcpHeader();
        TcpOptions besideTimestamps = parse(segment, start, end, NONE, timestamps);
        return timestamps.hasTimestamps()
                ? besideTimestamps.withTimestamps(new TcpTimestamps(timestamps.timestampValue(),
                        timestamps.timestampEchoReply()))
                : besideTimestamps;
    }

    /**
     * Parses options that passed {@link #wellFormed} without making an object for what changes
     * from segment to segment: the timestamps go to {@code header} as numbers ({@link
     * MutableTcpHeader#setParsedTimestamps}), and the rest is returned as options without
     * timestamps, {@code previous} again when equal to it (a flow's segments repeat it), so a
     * parser that passes what it got last allocates nothing in steady state.
     */
    static TcpOptions parse(MemorySegment segment, long start, long end, TcpOptions previous,
                            MutableTcpHeader header) {
        if (start == end) {
            header.setParsedTimestamps(false, 0, 0);
            return NONE;
        }
        int mss = ABSENT;
        int windowScale = ABSENT;
        boolean sackPermitted = false;
        List<SackBlock> blocks = List.of();
        boolean hasTimestamps = false;
        int tsValue = 0;
        int tsEcho = 0;
        long p = start;
        while (p < end) {
            int kind = Bytes.u8(segment, p);
            if (kind == OPTION_END) {
                break;
            }
            if (kind == OPTION_NOP) {
                p++;
                continue;
            }
            int length = Bytes.u8(segment, p + 1);
            switch (kind) {
                case OPTION_MSS -> mss = Bytes.u16(segment, p + 2);
                case OPTION_WINDOW_SCALE -> windowScale = Bytes.u8(segment, p + 2);
                case OPTION_SACK_PERMITTED -> sackPermitted = true;
                case OPTION_TIMESTAMPS -> {
                    hasTimestamps = true;
                    tsValue = Bytes.i32(segment, p + 2);
                    tsEcho = Bytes.i32(segment, p + 6);
                }
                case OPTION_SACK -> {
                    // A 40-byte option area holds at most 4 blocks, so wellFormed bounds n.
                    int n = (length - 2) / SACK_BLOCK_LENGTH;
                    List<SackBlock> list = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        long at = p + 2 + (long) i * SACK_BLOCK_LENGTH;
                        list.add(new SackBlock(Bytes.i32(segment, at), Bytes.i32(segment, at + 4)));
                    }
                    blocks = list;
                }
                default -> {
                    // Unknown option: skipped by its length (RFC 9293 section 3.2).
                }
            }
            p += length;
        }
        header.setParsedTimestamps(hasTimestamps, tsValue, tsEcho);
        if (blocks.isEmpty() && previous.sackBlocks.isEmpty() && previous.timestamps == null
                && mss == previous.maxSegmentSize && windowScale == previous.windowScale
                && sackPermitted == previous.sackPermitted) {
            return previous;
        }
        return new TcpOptions(mss, windowScale, sackPermitted, blocks, null);
    }

    /** Writes the options at {@code position}: {@link #encodedLength()} bytes. */
    void emit(MemorySegment segment, long position) {
        TcpTimestamps ts = timestamps;
        emit(segment, position, ts != null, ts != null ? ts.value() : 0, ts != null ? ts.echoReply() : 0);
    }

    /**
     * Writes these options with ({@code withTimestamps}: TSval {@code tsValue}, TSecr {@code
     * tsEchoReply}) or without a timestamps option in place of {@link #timestamps}: {@link
     * #encodedLength(boolean)} bytes.
     */
    void emit(MemorySegment segment, long position, boolean withTimestamps, int tsValue, int tsEchoReply) {
        boolean aligned = aligned(withTimestamps);
        long p = position;
        if (maxSegmentSize != ABSENT) {
            Bytes.putU8(segment, p, OPTION_MSS);
            Bytes.putU8(segment, p + 1, OPTION_MSS_LENGTH);
            Bytes.putU16(segment, p + 2, maxSegmentSize);
            p += OPTION_MSS_LENGTH;
        }
        if (windowScale != ABSENT) {
            p = padWithNops(segment, p, aligned ? 1 : 0);
            Bytes.putU8(segment, p, OPTION_WINDOW_SCALE);
            Bytes.putU8(segment, p + 1, OPTION_WINDOW_SCALE_LENGTH);
            Bytes.putU8(segment, p + 2, windowScale);
            p += OPTION_WINDOW_SCALE_LENGTH;
        }
        if (sackPermitted) {
            p = padWithNops(segment, p, aligned ? 2 : 0);
            Bytes.putU8(segment, p, OPTION_SACK_PERMITTED);
            Bytes.putU8(segment, p + 1, OPTION_SACK_PERMITTED_LENGTH);
            p += OPTION_SACK_PERMITTED_LENGTH;
        }
        if (withTimestamps) {
            p = padWithNops(segment, p, aligned ? 2 : 0);
            Bytes.putU8(segment, p, OPTION_TIMESTAMPS);
            Bytes.putU8(segment, p + 1, OPTION_TIMESTAMPS_LENGTH);
            Bytes.putI32(segment, p + 2, tsValue);
            Bytes.putI32(segment, p + 6, tsEchoReply);
            p += OPTION_TIMESTAMPS_LENGTH;
        }
        if (!sackBlocks.isEmpty()) {
            p = padWithNops(segment, p, aligned ? 2 : 0);
            Bytes.putU8(segment, p, OPTION_SACK);
            Bytes.putU8(segment, p + 1, 2 + SACK_BLOCK_LENGTH * sackBlocks.size());
            p += 2;
            for (SackBlock block : sackBlocks) {
                Bytes.putI32(segment, p, block.leftEdge());
                Bytes.putI32(segment, p + 4, block.rightEdge());
                p += SACK_BLOCK_LENGTH;
            }
        }
        // RFC 9293 section 3.1: the header is padded with zeros (EOL) to a 32-bit boundary.
        long end = position + encodedLength(withTimestamps);
        while (p < end) {
            Bytes.putU8(segment, p++, OPTION_END);
        }
    }

    private static long padWithNops(MemorySegment segment, long position, int count) {
        for (int i = 0; i < count; i++) {
            Bytes.putU8(segment, position + i, OPTION_NOP);
        }
        return position + count;
    }
}
