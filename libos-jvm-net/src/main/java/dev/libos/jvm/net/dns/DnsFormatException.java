package dev.libos.jvm.net.dns;

import java.io.IOException;

/** A DNS reply that does not parse or does not answer the question asked; the reason names the field. */
public final class DnsFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public DnsFormatException(String reason) {
        super(reason);
    }
}
