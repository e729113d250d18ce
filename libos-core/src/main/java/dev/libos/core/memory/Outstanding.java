package dev.libos.core.memory;

/** Formats one line of {@link KernelMemory#outstanding()}: owner, what, size, address, and site. */
final class Outstanding {
    private Outstanding() {
    }

    /**
     * @param site the allocation's stack, captured when leak tracking is on, else null
     */
    static String describe(String owner, String what, long bytes, long address, Throwable site) {
        StringBuilder line = new StringBuilder()
                .append(owner).append(": ").append(what).append(" of ").append(bytes)
                .append(" bytes at ").append(hex(address));
        if (site != null) {
            line.append(", allocated at");
            for (StackTraceElement frame : site.getStackTrace()) {
                line.append("\n\tat ").append(frame);
            }
        }
        return line.toString();
    }

    static String hex(long address) {
        return "0x" + Long.toHexString(address);
    }

    /** The stack of an allocation, for leak tracking. */
    static Throwable captureSite() {
        return new Throwable("allocation site");
    }
}
