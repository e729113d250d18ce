package dev.libos.hw.vmxnet3;

/**
 * The vmxnet3 register map (VMware's {@code vmxnet3_defs.h}: the {@code VMXNET3_REG_*} and
 * {@code VMXNET3_CMD_*} enums). Every register is 32 bits wide and 8-byte aligned.
 *
 * <pre>
 *  BAR 0 (4 KiB, "pass-through": the hot doorbells)      BAR 1 (4 KiB, "virtual device": control)
 *  0x000 + 8*i  IMR[i]     interrupt mask of vector i      0x00 VRRS  revision report / select
 *  0x600 + 8*q  TXPROD[q]  tx ring producer index          0x08 UVRS  UPT version report / select
 *  0x800 + 8*q  RXPROD[q]  rx ring 1 producer index        0x10 DSAL  driver shared area, low 32 bits
 *  0xA00 + 8*q  RXPROD2[q] rx ring 2 producer index        0x18 DSAH  driver shared area, high 32 bits
 *                                                          0x20 CMD   write a command, read its result
 *                                                          0x28 MACL  MAC bytes 0-3 (byte 0 lowest)
 *                                                          0x30 MACH  MAC bytes 4-5
 *                                                          0x38 ICR   interrupt cause (INTx only)
 *                                                          0x40 ECR   event cause, write 1s to clear
 * </pre>
 *
 * A command is a write of its code to CMD; a GET command's answer is the next read of CMD.
 * The write-then-read pair must not interleave with another command.
 */
public final class Vmxnet3Registers {
    /** Bytes in each of BAR 0 and BAR 1 ({@code VMXNET3_PT_REG_SIZE}, {@code VMXNET3_VD_REG_SIZE}). */
    public static final int BAR_BYTES = 4096;
    /** Distance between per-queue or per-vector copies of a register ({@code VMXNET3_REG_ALIGN}). */
    public static final int REGISTER_STRIDE = 8;

    // BAR 0
    public static final int IMR = 0x000;
    public static final int TXPROD = 0x600;
    public static final int RXPROD = 0x800;
    public static final int RXPROD2 = 0xA00;

    // BAR 1
    public static final int VRRS = 0x00;
    public static final int UVRS = 0x08;
    public static final int DSAL = 0x10;
    public static final int DSAH = 0x18;
    public static final int CMD = 0x20;
    public static final int MACL = 0x28;
    public static final int MACH = 0x30;
    public static final int ICR = 0x38;
    public static final int ECR = 0x40;

    /** Bit of VRRS for device revision 1, the only one this driver speaks. */
    public static final int REVISION_1 = 0x1;
    /** Bit of UVRS for UPT version 1. */
    public static final int UPT_VERSION_1 = 0x1;

    // SET commands (VMXNET3_CMD_FIRST_SET = 0xCAFE0000 onwards)
    public static final int CMD_ACTIVATE_DEV = 0xCAFE0000;
    public static final int CMD_QUIESCE_DEV = 0xCAFE0001;
    public static final int CMD_RESET_DEV = 0xCAFE0002;
    public static final int CMD_UPDATE_RX_MODE = 0xCAFE0003;

    // GET commands (VMXNET3_CMD_FIRST_GET = 0xF00D0000 onwards)
    public static final int CMD_GET_QUEUE_STATUS = 0xF00D0000;
    public static final int CMD_GET_STATS = 0xF00D0001;
    public static final int CMD_GET_LINK = 0xF00D0002;
    public static final int CMD_GET_PERM_MAC_LO = 0xF00D0003;
    public static final int CMD_GET_PERM_MAC_HI = 0xF00D0004;

    /** GET_LINK result: bit 0 is link up; bits 16-31 the speed in Mbit/s. */
    public static final int LINK_UP = 0x1;
    public static final int LINK_SPEED_SHIFT = 16;

    /** IMR value that masks a vector. */
    public static final int IMR_MASKED = 1;

    private Vmxnet3Registers() {
    }

    /** Offset of queue {@code queue}'s copy of a per-queue BAR 0 register. */
    public static int perQueue(int register, int queue) {
        return register + REGISTER_STRIDE * queue;
    }

    /** A command code as the header writes it, for messages. */
    public static String commandName(int command) {
        return switch (command) {
            case CMD_ACTIVATE_DEV -> "ACTIVATE_DEV";
            case CMD_QUIESCE_DEV -> "QUIESCE_DEV";
            case CMD_RESET_DEV -> "RESET_DEV";
            case CMD_UPDATE_RX_MODE -> "UPDATE_RX_MODE";
            case CMD_GET_QUEUE_STATUS -> "GET_QUEUE_STATUS";
            case CMD_GET_STATS -> "GET_STATS";
            case CMD_GET_LINK -> "GET_LINK";
            case CMD_GET_PERM_MAC_LO -> "GET_PERM_MAC_LO";
            case CMD_GET_PERM_MAC_HI -> "GET_PERM_MAC_HI";
            default -> String.format("0x%08x", command);
        };
    }
}
