package dev.libos.hw.vmxnet3;

/**
 * The four 16-byte ring entries of vmxnet3 ({@code Vmxnet3_TxDesc}, {@code Vmxnet3_TxCompDesc},
 * {@code Vmxnet3_RxDesc}, {@code Vmxnet3_RxCompDesc} in {@code vmxnet3_defs.h}), as the
 * little-endian 32-bit words the bit fields live in, and the ring rules.
 *
 * <pre>
 *  TxDesc       word 0-1: buffer address (u64)
 *               word 2:   len [0,14) (0 means 16384) | gen bit 14 | oco 15 | dtype 16 | ext1 17 | msscof [18,32)
 *               word 3:   hlen [0,10) | om [10,12) | eop bit 12 | cq bit 13 | ext2 14 | ti 15 | tci [16,32)
 *  TxCompDesc   word 0:   txdIdx [0,12) (index of the packet's EOP TxDesc)
 *               word 3:   type [24,31) | gen bit 31
 *  RxDesc       word 0-1: buffer address (u64)
 *               word 2:   len [0,14) | btype bit 14 (0 head, 1 body) | dtype 15 | gen bit 31
 *  RxCompDesc   word 0:   rxdIdx [0,12) | eop bit 14 | sop bit 15 | rqID [16,26) | rssType [26,30) | cnc 30
 *               word 1:   RSS hash
 *               word 2:   len [0,14) | err bit 14 | ts 15 | tci [16,32)
 *               word 3:   csum [0,16) | tuc 16 | udp 17 | tcp 18 | ipc 19 | v6 20 | v4 21 | frg 22 | fcs 23
 *                         | type [24,31) | gen bit 31
 * </pre>
 *
 * <p><b>Generation bits.</b> Every ring starts with generation 1 ({@code VMXNET3_INIT_GEN}) on
 * both sides and zeroed memory. The producer writes an entry with its current generation, and
 * flips its generation each time its index wraps; the consumer owns an entry when the entry's
 * gen equals the consumer's current generation, which flips on the consumer's wrap. So an entry
 * left from the previous lap never looks new, and a full ring (every entry written this lap) is
 * told apart from an empty one without a shared index. The gen word is written last (release)
 * and read first (acquire).
 */
public final class Vmxnet3RingLayout {
    public static final int ENTRY_BYTES = 16;
    /** Ring base alignment ({@code VMXNET3_RING_BA_ALIGN}). */
    public static final int RING_ALIGN = 512;
    /** Ring sizes are multiples of this ({@code VMXNET3_RING_SIZE_ALIGN}). */
    public static final int RING_SIZE_MULTIPLE = 32;
    /** Largest command ring ({@code VMXNET3_TX_RING_MAX_SIZE}, {@code VMXNET3_RX_RING_MAX_SIZE}). */
    public static final int MAX_RING_SIZE = 4096;
    /** Largest rx completion ring ({@code VMXNET3_RC_RING_MAX_SIZE}). */
    public static final int MAX_RX_COMP_RING_SIZE = 8192;
    /** A tx data ring entry ({@code Vmxnet3_TxDataDesc}, {@code VMXNET3_HDR_COPY_SIZE}). */
    public static final int TX_DATA_ENTRY_BYTES = 128;
    /** First generation of every ring. */
    public static final int INITIAL_GEN = 1;

    public static final int ADDRESS_OFFSET = 0;
    public static final int WORD2_OFFSET = 8;
    public static final int WORD3_OFFSET = 12;

    public static final int LEN_MASK = (1 << 14) - 1;
    public static final int TXD_GEN_SHIFT = 14;
    public static final int TXD_EOP = 1 << 12;
    public static final int TXD_CQ = 1 << 13;

    public static final int COMP_INDEX_MASK = (1 << 12) - 1;
    public static final int COMP_GEN_SHIFT = 31;
    public static final int COMP_TYPE_SHIFT = 24;
    public static final int COMP_TYPE_MASK = 0x7f;

    public static final int RXD_BTYPE_BODY = 1 << 14;
    public static final int RXD_GEN_SHIFT = 31;

    public static final int RCD_EOP = 1 << 14;
    public static final int RCD_SOP = 1 << 15;
    public static final int RCD_RQID_SHIFT = 16;
    public static final int RCD_RQID_MASK = (1 << 10) - 1;
    public static final int RCD_ERR = 1 << 14;

    private Vmxnet3RingLayout() {
    }

    /** Bytes of a ring of {@code entries} 16-byte entries. */
    public static long ringBytes(int entries) {
        return (long) entries * ENTRY_BYTES;
    }

    /**
     * Checks a command ring size: a multiple of 32 in [32, 4096].
     *
     * @throws IllegalArgumentException naming the size
     */
    public static int checkRingSize(int entries) {
        if (entries < RING_SIZE_MULTIPLE || entries > MAX_RING_SIZE || entries % RING_SIZE_MULTIPLE != 0) {
            throw new IllegalArgumentException("vmxnet3 ring size must be a multiple of " + RING_SIZE_MULTIPLE
                    + " in [" + RING_SIZE_MULTIPLE + ", " + MAX_RING_SIZE + "]: " + entries);
        }
        return entries;
    }

    /** The generation bit of a completion's word 3. */
    public static int completionGen(int word3) {
        return word3 >>> COMP_GEN_SHIFT;
    }
}
