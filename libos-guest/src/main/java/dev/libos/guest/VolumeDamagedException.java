package dev.libos.guest;

import java.io.IOException;

/**
 * A volume that holds something, but not a file system libos can mount: it is left exactly as
 * it is (never reformatted), and the boot stops, so the application never writes its state
 * into memory believing it is on disk.
 */
public final class VolumeDamagedException extends IOException {
    /** @param message what is wrong and what the user can do, naming the volume */
    public VolumeDamagedException(String message, Throwable cause) {
        super(message, cause);
    }
}
