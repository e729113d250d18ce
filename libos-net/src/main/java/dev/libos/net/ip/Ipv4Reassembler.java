package dev.libos.net.ip;

import dev.libos.net.wire.Ipv4Descriptor;
import dev.libos.net.wire.Ipv4Header;
import dev.libos.net.wire.Ipv4Repr;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * IPv4 reassembly (RFC 791 section 3.2, "reassembly"): fragments are collected per
 * (source, destination, protocol, identification) in a buffer until every byte from 0 to the
 * end announced by the last fragment (MF clear) has arrived.
 *
 * <p>Memory is bounded three ways: per datagram ({@link ReassemblySettings#maxDatagramBytes}),
 * in total (buffer bytes of all datagrams in progress), and in datagrams at once. A datagram
 * that is not complete within the timeout is dropped at {@link #poll}.
 *
 * <p>Overlapping fragments are never merged: in the spirit of RFC 5722 (written for IPv6, where
 * overlaps served to hide attacks from filters), a datagram with a fragment that overlaps bytes
 * already received is dropped whole, and the fragments of it that arrive later are dropped too
 * until its timeout. An exact duplicate (same range, same bytes, as a duplicating link makes)
 * is ignored instead. Owned by the stack's thread; time is passed in.
 */
public final class Ipv4Reassembler {
    /**
     * A complete datagram.
     *
     * @param header  the first fragment's header with the fragment fields cleared and the whole payload length
     * @param payload the reassembled payload, exactly {@code header.payloadLength()} bytes
     */
    public record Reassembled(Ipv4Repr header, byte[] payload) {
    }

    private record Key(int source, int destination, int protocol, int identification) {
    }

    private static final byte[] EMPTY = new byte[0];

    private static final class Partial {
        final long deadlineNanos;
        /** Received byte ranges, start to end, adjacent ranges merged. */
        final TreeMap<Integer, Integer> ranges = new TreeMap<>();
        byte[] buffer = EMPTY;
        int totalLength = -1;
        Ipv4Repr firstHeader;
        /** Non-null once the datagram was dropped: later fragments are counted under this. */
        IpCounter discardedAs;

        Partial(long deadlineNanos) {
            this.deadlineNanos = deadlineNanos;
        }
    }

    private final ReassemblySettings settings;
    private final Counters<IpCounter> counters;
    /** In arrival order, so that the oldest datagram in progress is the first. */
    private final Map<Key, Partial> partials = new java.util.LinkedHashMap<>();
    private long bytesInUse;
    private long nextDeadlineNanos = Long.MAX_VALUE;

    /** A reassembler with {@code settings}, counting into {@code counters}. */
    public Ipv4Reassembler(ReassemblySettings settings, Counters<IpCounter> counters) {
        if (settings == null || counters == null) {
            throw new IllegalArgumentException("settings and counters must not be null");
        }
        this.settings = settings;
        this.counters = counters;
    }

    /** Buffer bytes held by datagrams in progress. */
    public long bytesInUse() {
        return bytesInUse;
    }

    /** Datagrams in progress, dropped ones waiting for their timeout included. */
    public int datagramsInProgress() {
        return partials.size();
    }

    /**
     * Takes one fragment whose payload is {@code payloadLength} bytes at {@code payloadOffset}
     * of {@code segment} (copied here).
     *
     * @return the whole datagram when this fragment completed it, otherwise null
     */
    public Reassembled accept(Ipv4Header ip, MemorySegment segment, long payloadOffset, int payloadLength,
                              long nowNanos) {
        counters.increment(IpCounter.REASSEMBLY_FRAGMENTS);
        int start = ip.fragmentOffsetBytes();
        int end = start + payloadLength;
        boolean last = !ip.moreFragments();
        if (!last && (payloadLength == 0 || payloadLength % 8 != 0)) {
            // RFC 791: every fragment but the last carries a multiple of 8 bytes.
            counters.increment(IpCounter.REASSEMBLY_INVALID);
            return null;
        }
        Key key = new Key(ip.source().value(), ip.destination().value(), ip.protocol(), ip.identification());
        Partial partial = partials.get(key);
        if (partial == null) {
            partial = newPartial(key, nowNanos);
            if (partial == null) {
                counters.increment(IpCounter.REASSEMBLY_NO_MEMORY);
                return null;
            }
        }
        if (partial.discardedAs != null) {
            counters.increment(partial.discardedAs);
            return null;
        }
        if (end > settings.maxDatagramBytes() || end + ip.headerLength() > Ipv4Descriptor.MAX_TOTAL_LENGTH) {
            discard(partial, IpCounter.REASSEMBLY_TOO_BIG);
            return null;
        }
        if (last) {
            Map.Entry<Integer, Integer> highest = partial.ranges.lastEntry();
            if ((partial.totalLength >= 0 && partial.totalLength != end) || (highest != null && highest.getValue() > end)) {
                discard(partial, IpCounter.REASSEMBLY_INVALID); // two different ends, or data beyond the end
                return null;
            }
            partial.totalLength = end;
        } else if (partial.totalLength >= 0 && end > partial.totalLength) {
            discard(partial, IpCounter.REASSEMBLY_INVALID);
            return null;
        }
        if (payloadLength > 0) {
            Map.Entry<Integer, Integer> before = partial.ranges.floorEntry(start);
            Map.Entry<Integer, Integer> after = partial.ranges.higherEntry(start);
            boolean overlapsBefore = before != null && before.getValue() > start;
            boolean overlapsAfter = after != null && after.getKey() < end;
            if (overlapsBefore || overlapsAfter) {
                if (!overlapsAfter && before.getKey() <= start && before.getValue() >= end
                        && sameBytes(partial.buffer, start, segment, payloadOffset, payloadLength)) {
                    counters.increment(IpCounter.REASSEMBLY_DUPLICATE);
                    return null;
                }
                discard(partial, IpCounter.REASSEMBLY_OVERLAP);
                return null;
            }
            if (!ensureCapacity(partial, partial.totalLength >= 0 ? partial.totalLength : end)) {
                discard(partial, IpCounter.REASSEMBLY_NO_MEMORY);
                return null;
            }
            MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, payloadOffset, partial.buffer, start, payloadLength);
            addRange(partial.ranges, start, end);
        }
        if (start == 0) {
            partial.firstHeader = ip.toRepr(); // kept: the parser's header is reused for the next frame
        }
        return complete(key, partial);
    }

    /** When {@link #poll} next has a datagram to time out, or {@link Long#MAX_VALUE}; never later than that. */
    public long nextDeadlineNanos() {
        return nextDeadlineNanos;
    }

    /** Drops datagrams whose time is up (counted as timeouts unless already dropped). */
    public void poll(long nowNanos) {
        if (nowNanos < nextDeadlineNanos) {
            return;
        }
        long next = Long.MAX_VALUE;
        for (Iterator<Partial> it = partials.values().iterator(); it.hasNext(); ) {
            Partial partial = it.next();
            if (nowNanos >= partial.deadlineNanos) {
                if (partial.discardedAs == null) {
                    counters.increment(IpCounter.REASSEMBLY_TIMEOUT);
                }
                release(partial);
                it.remove();
            } else {
                next = Math.min(next, partial.deadlineNanos);
            }
        }
        nextDeadlineNanos = next;
    }

    private Partial newPartial(Key key, long nowNanos) {
        if (partials.size() >= settings.maxDatagrams()) {
            poll(nowNanos);
            if (partials.size() >= settings.maxDatagrams()) {
                // Full of datagrams still in progress: most are orphans whose other fragments were
                // lost. Evict the oldest rather than refuse every new datagram until the timeouts
                // (which would stall a fragmenting sender for the whole reassembly timeout).
                var oldest = partials.entrySet().iterator();
                discard(oldest.next().getValue(), IpCounter.REASSEMBLY_EVICTED);
                oldest.remove();
            }
        }
        Partial partial = new Partial(nowNanos + settings.timeoutNanos());
        partials.put(key, partial);
        nextDeadlineNanos = Math.min(nextDeadlineNanos, partial.deadlineNanos);
        return partial;
    }

    private Reassembled complete(Key key, Partial partial) {
        if (partial.totalLength < 0 || partial.firstHeader == null) {
            return null;
        }
        Map.Entry<Integer, Integer> only = partial.ranges.firstEntry();
        boolean whole = partial.totalLength == 0
                || (partial.ranges.size() == 1 && only.getKey() == 0 && only.getValue() == partial.totalLength);
        if (!whole) {
            return null;
        }
        Ipv4Repr first = partial.firstHeader;
        if (first.headerLength() + partial.totalLength > Ipv4Descriptor.MAX_TOTAL_LENGTH) {
            discard(partial, IpCounter.REASSEMBLY_TOO_BIG);
            return null;
        }
        byte[] payload = partial.buffer.length == partial.totalLength
                ? partial.buffer : java.util.Arrays.copyOf(partial.buffer, partial.totalLength);
        release(partial);
        partials.remove(key);
        counters.increment(IpCounter.REASSEMBLY_OK);
        Ipv4Repr header = new Ipv4Repr(first.dscp(), first.ecn(), first.identification(), first.dontFragment(), false,
                0, first.timeToLive(), first.protocol(), first.source(), first.destination(), first.options(),
                partial.totalLength);
        return new Reassembled(header, payload);
    }

    private boolean ensureCapacity(Partial partial, int needed) {
        if (partial.buffer.length >= needed) {
            return true;
        }
        long delta = needed - partial.buffer.length;
        if (bytesInUse + delta > settings.maxTotalBytes()) {
            return false;
        }
        partial.buffer = java.util.Arrays.copyOf(partial.buffer, needed);
        bytesInUse += delta;
        return true;
    }

    private void discard(Partial partial, IpCounter reason) {
        counters.increment(reason);
        partial.discardedAs = reason;
        partial.ranges.clear();
        release(partial);
    }

    private void release(Partial partial) {
        bytesInUse -= partial.buffer.length;
        partial.buffer = EMPTY;
    }

    private static void addRange(TreeMap<Integer, Integer> ranges, int start, int end) {
        int newStart = start;
        int newEnd = end;
        Map.Entry<Integer, Integer> before = ranges.floorEntry(start);
        if (before != null && before.getValue() == start) {
            newStart = before.getKey();
            ranges.remove(before.getKey());
        }
        Integer afterEnd = ranges.remove(end);
        if (afterEnd != null) {
            newEnd = afterEnd;
        }
        ranges.put(newStart, newEnd);
    }

    private static boolean sameBytes(byte[] buffer, int start, MemorySegment segment, long offset, int length) {
        return MemorySegment.mismatch(MemorySegment.ofArray(buffer), start, start + length, segment, offset,
                offset + length) == -1;
    }
}
