package dev.libos.hw.pci;

import java.io.IOException;
import java.nio.file.Path;

/** A sysfs file whose content is not what the kernel writes there; the message names the file. */
public final class MalformedSysfsException extends IOException {
    private final transient Path file;

    /** @param file the offending file; {@code problem} says what was wrong with it */
    public MalformedSysfsException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    /** The file whose content was malformed. */
    public Path file() {
        return file;
    }
}
