/**
 * Wire formats of the TCP/IP stack: Ethernet II, ARP, IPv4, ICMP, UDP and TCP.
 *
 * <p>Each protocol has three classes: a descriptor ({@code Ipv4Descriptor}: offset constants
 * and an ASCII diagram of the header), a flyweight view over bytes ({@code Ipv4Packet}: a
 * {@link java.lang.foreign.MemorySegment} with an offset and a length, big-endian getters and
 * setters for every field) and a parsed record ({@code Ipv4Repr}: {@code parse(view)},
 * {@code emit(view)}, {@code bufferLength()}). IPv4 and TCP also have a reused, mutable kind
 * ({@code MutableIpv4Header}, {@code MutableTcpHeader}) behind a read-only interface ({@code
 * Ipv4Header}, {@code TcpHeader}): what the parser and the connections fill for every segment,
 * so that the TCP path allocates nothing per segment; valid during the call that hands it out,
 * {@code toRepr()} to keep.
 *
 * <p><b>The validation rule.</b> A view wrapped with {@code wrap} is unchecked: its getters
 * read whatever bytes are there. No field of received bytes is trusted, and no {@code Repr}
 * is parsed, until the view's static {@code check} (or {@code wrapChecked}) has returned
 * {@link dev.libos.net.wire.WireCheck#OK}. Checks never throw on malformed input; every
 * other {@code WireCheck} value names the reason to drop the bytes. {@link
 * dev.libos.net.wire.FrameParser} applies the rule down a whole Ethernet frame and counts
 * drops per reason in {@link dev.libos.net.wire.WireCounters}.
 */
package dev.libos.net.wire;
