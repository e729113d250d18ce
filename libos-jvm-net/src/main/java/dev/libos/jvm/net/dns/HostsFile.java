package dev.libos.jvm.net.dns;

import dev.libos.api.net.HostNetwork.HostEntry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A hosts file ({@code hosts(5)}): lines of an address and names, {@code #} starts a comment.
 * Parsed defensively: IPv4 lines only; a malformed line (bad address, bad name, too long) is
 * skipped and counted, never fatal; a file over {@link #MAX_FILE_BYTES} is not read at all.
 */
public final class HostsFile {
    /** The image's hosts file, on the files volume libos-guest mounts. */
    public static final Path IMAGE_HOSTS = Path.of("/files/etc/hosts");
    /**
     * The same file in the guest's libos VFS, where libos-guest mounts the image's files volume
     * ({@code libos://guest/...}): what {@link #IMAGE_HOSTS} names when java.nio's default file
     * system is Linux's (the JVM was not started with libos-vfs's routing provider as the default).
     */
    public static final URI IMAGE_HOSTS_IN_LIBOS_VFS = URI.create("libos://guest/files/etc/hosts");

    /**
     * {@code file}, or, when it is {@link #IMAGE_HOSTS} and java.nio's default file system does
     * not have it, the same file in the guest's libos VFS if that is mounted.
     */
    public static Path locate(Path file) {
        if (!file.equals(IMAGE_HOSTS) || Files.exists(file)) {
            return file;
        }
        try {
            return Path.of(IMAGE_HOSTS_IN_LIBOS_VFS);
        } catch (FileSystemNotFoundException | IllegalArgumentException notMounted) {
            return file; // hosted, or no files volume: reading it finds nothing, as for a missing file
        }
    }
    public static final int MAX_FILE_BYTES = 1 << 20;
    static final int MAX_LINE_CHARS = 4096;
    static final int MAX_NAME_CHARS = 253;

    /** @param skippedLines lines that were not understood */
    public record Parsed(List<HostEntry> entries, int skippedLines) {
    }

    private HostsFile() {
    }

    /**
     * Reads {@code file}: a missing file is empty.
     *
     * @throws IOException when it cannot be read or is over {@link #MAX_FILE_BYTES}
     */
    public static Parsed read(Path file) throws IOException {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new IOException(file + " is larger than " + MAX_FILE_BYTES + " bytes: not read");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new Parsed(List.of(), 0);
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw new IOException(file + " is larger than " + MAX_FILE_BYTES + " bytes: not read");
        }
        return parse(new String(bytes, StandardCharsets.ISO_8859_1));
    }

    public static Parsed parse(String text) {
        List<HostEntry> entries = new ArrayList<>();
        int skipped = 0;
        for (String line : text.split("\r?\n", -1)) {
            int hash = line.indexOf('#');
            String content = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (content.isEmpty()) {
                continue;
            }
            if (line.length() > MAX_LINE_CHARS) {
                skipped++;
                continue;
            }
            String[] fields = content.split("[ \t]+");
            byte[] address = parseIpv4(fields[0]);
            if (address == null || fields.length < 2) {
                skipped++; // IPv6, malformed, or no name
                continue;
            }
            boolean bad = false;
            List<HostEntry> lineEntries = new ArrayList<>();
            for (int i = 1; i < fields.length; i++) {
                if (!isHostName(fields[i])) {
                    bad = true;
                    break;
                }
                lineEntries.add(new HostEntry(fields[i], inet(fields[i], address)));
            }
            if (bad) {
                skipped++;
            } else {
                entries.addAll(lineEntries);
            }
        }
        return new Parsed(List.copyOf(entries), skipped);
    }

    /**
     * A dotted-quad IPv4 literal (four decimal parts 0-255), or null. Like glibc's
     * {@code inet_pton}, no leading zeros ({@code inet_aton} would read {@code 010} as octal 8).
     */
    public static byte[] parseIpv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] address = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')) {
                return null;
            }
            int value = 0;
            for (int j = 0; j < part.length(); j++) {
                char c = part.charAt(j);
                if (c < '0' || c > '9') {
                    return null;
                }
                value = value * 10 + (c - '0');
            }
            if (value > 255) {
                return null;
            }
            address[i] = (byte) value;
        }
        return address;
    }

    /** Letters, digits, '-', '_' and dots between non-empty labels (RFC 952/1123, '_' tolerated as Linux does). */
    static boolean isHostName(String name) {
        if (name.isEmpty() || name.length() > MAX_NAME_CHARS || name.startsWith(".") || name.contains("..")) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
                    || c == '_' || c == '.';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static InetAddress inet(String name, byte[] address) {
        try {
            return InetAddress.getByAddress(name, address);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 bytes are always an IPv4 address", e);
        }
    }
}
