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

    private int alignedLength() {
        return (maxSegmentSize != ABSENT ? 4 : 0) + (windowScale != ABSENT ? 4 : 0) + (sackPermitted ? 4 : 0)
                + (timestamps != null ? 12 : 0) + (sackBlocks.isEmpty() ? 0 : 4 + SACK_BLOCK_LENGTH * sackBlocks.size());
    }

    private boolean aligned() {
        return alignedLength() <= MAX_OPTIONS_LENGTH;
    }

    /** Bytes these options occupy in the header, a multiple of 4 and at most 40. */
    public int encodedLength() {
        return aligned() ? alignedLength()
                : roundUpTo4(packedLength(maxSegmentSize, windowScale, sackPermitted, sackBlocks.size(), timestamps));
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
        return parse(segment, start, end, NONE);
    }

    /**
     * As {@link #parse(MemorySegment, long, long)}, but returns {@code previous} when the options
     * are equal to it (a flow's segments mostly repeat their options within a timestamp tick), so
     * a parser that passes what it returned last allocates nothing for them.
     */
    static TcpOptions parse(MemorySegment segment, long start, long end, TcpOptions previous) {
        if (start == end) {
            return NONE;
        }
        int mss = ABSENT;
        int windowScale = ABSENT;
        boolean sackPermitted = false;
        List<SackBlock> blocks = List.of();
        TcpTimestamps timestamps = null;
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
        TcpTimestamps last = previous.timestamps;
        boolean sameTimestamps = hasTimestamps ? last != null && last.value() == tsValue && last.echoReply() == tsEcho
                : last == null;
        if (sameTimestamps && blocks.isEmpty() && previous.sackBlocks.isEmpty() && mss == previous.maxSegmentSize
                && windowScale == previous.windowScale && sackPermitted == previous.sackPermitted) {
            return previous;
        }
        if (hasTimestamps) {
            timestamps = sameTimestamps ? last : new TcpTimestamps(tsValue, tsEcho);
        }
        return new TcpOptions(mss, windowScale, sackPermitted, blocks, timestamps);
    }

    /** Writes the options at {@code position}: {@link #encodedLength()} bytes. */
    void emit(MemorySegment segment, long position) {
        boolean aligned = aligned();
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
        if (timestamps != null) {
            p = padWithNops(segment, p, aligned ? 2 : 0);
            Bytes.putU8(segment, p, OPTION_TIMESTAMPS);
            Bytes.putU8(segment, p + 1, OPTION_TIMESTAMPS_LENGTH);
            Bytes.putI32(segment, p + 2, timestamps.value());
            Bytes.putI32(segment, p + 6, timestamps.echoReply());
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
        long end = position + encodedLength();
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
