package dev.libos.net.wire;

/** ARP operation codes (RFC 826: ares_op$REQUEST and ares_op$REPLY). */
public enum ArpOperation {
    /** Who has the target protocol address? */
    REQUEST(1),
    /** The sender has the sender protocol address. */
    REPLY(2);

    private final int code;

    ArpOperation(int code) {
        this.code = code;
    }

    /** The value of the operation field. */
    public int code() {
        return code;
    }

    /** The operation for a field value, or null when it is neither request nor reply. */
    public static ArpOperation ofCode(int code) {
        return switch (code) {
            case 1 -> REQUEST;
            case 2 -> REPLY;
            default -> null;
        };
    }
}
