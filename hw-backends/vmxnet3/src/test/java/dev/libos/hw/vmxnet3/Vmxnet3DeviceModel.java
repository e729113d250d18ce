package dev.libos.hw.vmxnet3;

import dev.libos.hw.pci.LittleEndianMemory;
import static dev.libos.hw.vmxnet3.Vmxnet3RingLayout.*;
import static dev.libos.hw.vmxnet3.Vmxnet3SharedLayout.*;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * The device side of vmxnet3 in Java, for driver tests without a VM: the BAR 0 / BAR 1 register
 * semantics (version selection, DSAL/DSAH, commands and their answers, doorbells), activation
 * from the shared area (validated like QEMU's {@code vmxnet3_activate_device}), the tx ring
 * consumed on TXPROD with one completion per packet, and frames delivered into rx ring 1 with
 * one completion each. It follows the gen-bit rules of {@link Vmxnet3RingLayout} and writes
 * every completion's gen word last, with a release store.
 *
 * <p>Misbehaviour on demand: completions with any index, length, flags or gen ({@link
 * #writeRxCompletion}, {@link #writeTxCompletion}), a stalled transmit side ({@link
 * #processTxOnDoorbell} false), activation refused, no revision offered. A stalled receive
 * side is one the test does not call.
 */
final class Vmxnet3DeviceModel {
    final RegisterWindow bar0 = new Bar0();
    final RegisterWindow bar1 = new Bar1();
    final List<Integer> commands = new ArrayList<>();
    final List<byte[]> transmitted = new ArrayList<>();
    int offeredRevisions = Vmxnet3Registers.REVISION_1;
    int offeredUptVersions = Vmxnet3Registers.UPT_VERSION_1;
    int selectedRevision;
    int selectedUptVersion;
    byte[] mac = {0x00, 0x0c, 0x29, 0x01, 0x02, 0x03};
    int linkState = (1000 << Vmxnet3Registers.LINK_SPEED_SHIFT) | Vmxnet3Registers.LINK_UP;
    int txThreshold = 1;
    boolean refuseActivation;
    boolean processTxOnDoorbell = true;
    int txDoorbells;
    int rxDoorbells;
    int lastTxProducer = -1;
    int imr0 = 0;
    long[] txStats = new long[STATS_COUNTERS];
    long[] rxStats = new long[STATS_COUNTERS];

    boolean active;
    private int lastCommand;
    private long sharedAddress;
    MemorySegment shared;
    MemorySegment queueTable;
    DeviceRing txRing;
    DeviceRing txCompletions;
    DeviceRing rxRing1;
    DeviceRing rxRing2;
    DeviceRing rxCompletions;
    int txCompleted;

    /** Outcome of {@link #deliver}. */
    enum Delivery { DELIVERED, TRUNCATED, NO_BUFFER, INACTIVE }

    // ---- activation, as QEMU does it ----

    private void activate() {
        shared = MemorySegment.ofAddress(sharedAddress).reinterpret(DRIVER_SHARED_BYTES);
        if (LittleEndianMemory.getI32(shared, MAGIC_OFFSET) != MAGIC) {
            return;
        }
        int mtu = LittleEndianMemory.getI32(shared, MTU_OFFSET);
        int txQueues = LittleEndianMemory.getU8(shared, NUM_TX_QUEUES);
        int rxQueues = LittleEndianMemory.getU8(shared, NUM_RX_QUEUES);
        if (refuseActivation || mtu < 60 || mtu > 9000 || txQueues != 1 || rxQueues != 1) {
            return;
        }
        queueTable = MemorySegment.ofAddress(LittleEndianMemory.getI64(shared, QUEUE_DESC_PA))
                .reinterpret(LittleEndianMemory.getI32(shared, QUEUE_DESC_LEN));
        int t = Vmxnet3SharedArea.TX_QUEUE_DESC;
        int r = Vmxnet3SharedArea.RX_QUEUE_DESC;
        txRing = new DeviceRing(LittleEndianMemory.getI64(queueTable, t + TXQ_RING_PA), LittleEndianMemory.getI32(queueTable, t + TXQ_RING_SIZE));
        txCompletions = new DeviceRing(LittleEndianMemory.getI64(queueTable, t + TXQ_COMP_RING_PA), LittleEndianMemory.getI32(queueTable, t + TXQ_COMP_RING_SIZE));
        rxRing1 = new DeviceRing(LittleEndianMemory.getI64(queueTable, r + RXQ_RING1_PA), LittleEndianMemory.getI32(queueTable, r + RXQ_RING1_SIZE));
        rxRing2 = new DeviceRing(LittleEndianMemory.getI64(queueTable, r + RXQ_RING2_PA), LittleEndianMemory.getI32(queueTable, r + RXQ_RING2_SIZE));
        rxCompletions = new DeviceRing(LittleEndianMemory.getI64(queueTable, r + RXQ_COMP_RING_PA), LittleEndianMemory.getI32(queueTable, r + RXQ_COMP_RING_SIZE));
        // Like QEMU: completion rings are zeroed by the device at activation.
        txCompletions.memory.fill((byte) 0);
        rxCompletions.memory.fill((byte) 0);
        LittleEndianMemory.putI32(queueTable, t + TXQ_THRESHOLD, txThreshold);
        active = true;
    }

    int commandAnswer() {
        return switch (lastCommand) {
            case Vmxnet3Registers.CMD_ACTIVATE_DEV -> active ? 0 : 1;
            case Vmxnet3Registers.CMD_GET_LINK -> linkState;
            case Vmxnet3Registers.CMD_GET_PERM_MAC_LO -> macLow();
            case Vmxnet3Registers.CMD_GET_PERM_MAC_HI -> macHigh();
            default -> 0;
        };
    }

    private void command(int code) {
        lastCommand = code;
        commands.add(code);
        switch (code) {
            case Vmxnet3Registers.CMD_ACTIVATE_DEV -> {
                if (!active) {
                    activate();
                }
            }
            case Vmxnet3Registers.CMD_QUIESCE_DEV, Vmxnet3Registers.CMD_RESET_DEV -> active = false;
            case Vmxnet3Registers.CMD_GET_STATS -> {
                if (active) {
                    for (int i = 0; i < STATS_COUNTERS; i++) {
                        LittleEndianMemory.putI64(queueTable, Vmxnet3SharedArea.TX_QUEUE_DESC + TXQ_STATS + 8L * i, txStats[i]);
                        LittleEndianMemory.putI64(queueTable, Vmxnet3SharedArea.RX_QUEUE_DESC + RXQ_STATS + 8L * i, rxStats[i]);
                    }
                }
            }
            default -> {
            }
        }
    }

    private int macLow() {
        return (mac[0] & 0xff) | (mac[1] & 0xff) << 8 | (mac[2] & 0xff) << 16 | (mac[3] & 0xff) << 24;
    }

    private int macHigh() {
        return (mac[4] & 0xff) | (mac[5] & 0xff) << 8;
    }

    // ---- transmit side ----

    /** Sends every packet the driver has handed over, completing each (what QEMU does on TXPROD). */
    int processTx() {
        int sent = 0;
        while (popTx() >= 0) {
            sent++;
        }
        return sent;
    }

    /**
     * Takes the next tx descriptor if the driver gave it (gen matches), records its frame and
     * completes it; -1 when there is none.
     */
    int popTx() {
        if (!active) {
            return -1;
        }
        long entry = txRing.entry();
        int word2 = LittleEndianMemory.getI32Acquire(txRing.memory, entry + WORD2_OFFSET);
        if (((word2 >>> TXD_GEN_SHIFT) & 1) != txRing.gen) {
            return -1;
        }
        int word3 = LittleEndianMemory.getI32(txRing.memory, entry + WORD3_OFFSET);
        long address = LittleEndianMemory.getI64(txRing.memory, entry);
        int length = word2 & LEN_MASK;
        if ((word3 & TXD_EOP) == 0) {
            throw new AssertionError("driver posted a multi-descriptor packet at " + txRing.next);
        }
        transmitted.add(MemorySegment.ofAddress(address).reinterpret(length).toArray(ValueLayout.JAVA_BYTE));
        int index = txRing.next;
        txRing.advance();
        writeTxCompletion(index, txCompletions.gen);
        txCompleted++;
        return index;
    }

    /** Writes a tx completion naming {@code index} with generation {@code gen} at the completion cursor, and advances it. */
    void writeTxCompletion(int index, int gen) {
        long entry = txCompletions.entry();
        LittleEndianMemory.putI32(txCompletions.memory, entry, index & COMP_INDEX_MASK);
        LittleEndianMemory.putI32(txCompletions.memory, entry + 4, 0);
        LittleEndianMemory.putI32(txCompletions.memory, entry + WORD2_OFFSET, 0);
        LittleEndianMemory.putI32Release(txCompletions.memory, entry + WORD3_OFFSET, gen << COMP_GEN_SHIFT);
        txCompletions.advance();
    }

    /** Writes a stale-generation tx completion at the cursor without advancing (an entry the driver must not believe). */
    void writeStaleTxCompletion(int index) {
        long entry = txCompletions.entry();
        LittleEndianMemory.putI32(txCompletions.memory, entry, index & COMP_INDEX_MASK);
        LittleEndianMemory.putI32Release(txCompletions.memory, entry + WORD3_OFFSET, (txCompletions.gen ^ 1) << COMP_GEN_SHIFT);
    }

    // ---- receive side ----

    /** Receives {@code frame} from the wire into the next ring-1 buffer, as QEMU's vmxnet3_indicate_packet with one fragment. */
    Delivery deliver(byte[] frame) {
        if (!active) {
            return Delivery.INACTIVE;
        }
        int index = rxRing1.next;
        long entry = rxRing1.entry();
        int word2 = LittleEndianMemory.getI32Acquire(rxRing1.memory, entry + WORD2_OFFSET);
        if ((word2 >>> RXD_GEN_SHIFT) != rxRing1.gen) {
            rxStats[8]++; // pktsRxOutOfBuf
            return Delivery.NO_BUFFER;
        }
        long address = LittleEndianMemory.getI64(rxRing1.memory, entry);
        int capacity = word2 & LEN_MASK;
        rxRing1.advance();
        int copied = Math.min(capacity, frame.length);
        MemorySegment.copy(frame, 0, MemorySegment.ofAddress(address).reinterpret(capacity), ValueLayout.JAVA_BYTE, 0, copied);
        boolean truncated = copied < frame.length;
        writeRxCompletion(index | RCD_SOP | RCD_EOP, copied | (truncated ? RCD_ERR : 0), rxCompletions.gen);
        return truncated ? Delivery.TRUNCATED : Delivery.DELIVERED;
    }

    /** Consumes the next ring-1 buffer and completes it with {@code length}, whatever the buffer holds. */
    boolean deliverWithLength(int length) {
        int index = rxRing1.next;
        int word2 = LittleEndianMemory.getI32Acquire(rxRing1.memory, rxRing1.entry() + WORD2_OFFSET);
        if ((word2 >>> RXD_GEN_SHIFT) != rxRing1.gen) {
            return false;
        }
        rxRing1.advance();
        writeRxCompletion(index | RCD_SOP | RCD_EOP, length & LEN_MASK, rxCompletions.gen);
        return true;
    }

    /** Writes an rx completion with the given words 0 and 2 and generation at the cursor, and advances it. */
    void writeRxCompletion(int word0, int word2, int gen) {
        long entry = rxCompletions.entry();
        LittleEndianMemory.putI32(rxCompletions.memory, entry, word0);
        LittleEndianMemory.putI32(rxCompletions.memory, entry + 4, 0);
        LittleEndianMemory.putI32(rxCompletions.memory, entry + WORD2_OFFSET, word2);
        // QEMU leaves the completion type 0; the gen word goes last.
        LittleEndianMemory.putI32Release(rxCompletions.memory, entry + WORD3_OFFSET, gen << COMP_GEN_SHIFT);
        rxCompletions.advance();
    }

    /** Writes a stale-generation rx completion at the cursor without advancing. */
    void writeStaleRxCompletion(int word0, int word2) {
        long entry = rxCompletions.entry();
        LittleEndianMemory.putI32(rxCompletions.memory, entry, word0);
        LittleEndianMemory.putI32(rxCompletions.memory, entry + WORD2_OFFSET, word2);
        LittleEndianMemory.putI32Release(rxCompletions.memory, entry + WORD3_OFFSET, (rxCompletions.gen ^ 1) << COMP_GEN_SHIFT);
    }

    /** Ring-1 descriptors the driver has given the device and the device has not used: counted by gen bits. */
    int rxBuffersAvailable() {
        int available = 0;
        int next = rxRing1.next;
        int gen = rxRing1.gen;
        for (int i = 0; i < rxRing1.size; i++) {
            int word2 = LittleEndianMemory.getI32(rxRing1.memory, (long) next * ENTRY_BYTES + WORD2_OFFSET);
            if ((word2 >>> RXD_GEN_SHIFT) != gen) {
                break;
            }
            available++;
            if (++next == rxRing1.size) {
                next = 0;
                gen ^= 1;
            }
        }
        return available;
    }

    /** Whether the next ring-1 descriptor belongs to the device (the driver gave it a buffer). */
    boolean rxBufferAvailable() {
        int word2 = LittleEndianMemory.getI32Acquire(rxRing1.memory, rxRing1.entry() + WORD2_OFFSET);
        return (word2 >>> RXD_GEN_SHIFT) == rxRing1.gen;
    }

    /** Ring-2 descriptors the device could use (the driver leaves ring 2 empty). */
    int rxRing2Available() {
        int word2 = LittleEndianMemory.getI32(rxRing2.memory, rxRing2.entry() + WORD2_OFFSET);
        return (word2 >>> RXD_GEN_SHIFT) == rxRing2.gen ? 1 : 0;
    }

    /** A byte the driver wrote into the shared area. */
    int sharedU8(long offset) {
        return LittleEndianMemory.getU8(shared, offset);
    }

    int sharedI32(long offset) {
        return LittleEndianMemory.getI32(shared, offset);
    }

    int queueI32(long offset) {
        return LittleEndianMemory.getI32(queueTable, offset);
    }

    void setUpdateRxProd(boolean wanted) {
        LittleEndianMemory.putU8(queueTable, Vmxnet3SharedArea.RX_QUEUE_DESC + RXQ_UPDATE_RX_PROD, wanted ? 1 : 0);
    }

    /** BAR 0: doorbells and interrupt masks; writes before activation are ignored (QEMU). */
    private final class Bar0 implements RegisterWindow {
        @Override
        public int read32(long offset) {
            return offset == Vmxnet3Registers.IMR ? imr0 : 0;
        }

        @Override
        public void write32(long offset, int value) {
            if (!active) {
                return;
            }
            if (offset == Vmxnet3Registers.TXPROD) {
                txDoorbells++;
                lastTxProducer = value;
                if (processTxOnDoorbell) {
                    processTx();
                }
            } else if (offset == Vmxnet3Registers.RXPROD) {
                rxDoorbells++;
            } else if (offset == Vmxnet3Registers.IMR) {
                imr0 = value;
            } else if (offset != Vmxnet3Registers.RXPROD2) {
                throw new AssertionError("BAR 0 write to unexpected offset 0x" + Long.toHexString(offset));
            }
        }
    }

    /** BAR 1: version registers, the shared area address, commands, MAC. */
    private final class Bar1 implements RegisterWindow {
        private int sharedLow;

        @Override
        public int read32(long offset) {
            return switch ((int) offset) {
                case Vmxnet3Registers.VRRS -> offeredRevisions;
                case Vmxnet3Registers.UVRS -> offeredUptVersions;
                case Vmxnet3Registers.CMD -> commandAnswer();
                case Vmxnet3Registers.MACL -> macLow();
                case Vmxnet3Registers.MACH -> macHigh();
                default -> throw new AssertionError("BAR 1 read of unexpected offset 0x" + Long.toHexString(offset));
            };
        }

        @Override
        public void write32(long offset, int value) {
            switch ((int) offset) {
                case Vmxnet3Registers.VRRS -> selectedRevision = value;
                case Vmxnet3Registers.UVRS -> selectedUptVersion = value;
                case Vmxnet3Registers.DSAL -> {
                    sharedLow = value;
                    sharedAddress = 0;
                    if (value == 0) {
                        active = false;
                    }
                }
                case Vmxnet3Registers.DSAH -> sharedAddress = Integer.toUnsignedLong(sharedLow) | ((long) value << 32);
                case Vmxnet3Registers.CMD -> command(value);
                default -> throw new AssertionError("BAR 1 write to unexpected offset 0x" + Long.toHexString(offset));
            }
        }
    }
}
