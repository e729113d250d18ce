package dev.libos.maven.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the host shared libraries (libc, the dynamic loader, ...) that the runtime's ELF files
 * need, by asking the host's {@code ldd}. The guest gets them at the same absolute paths, where
 * the loader's built-in search path finds them without {@code /etc/ld.so.cache}.
 */
public final class NativeLibraries {
    /** {@code libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)} */
    private static final Pattern RESOLVED = Pattern.compile("^\\s*\\S+\\s+=>\\s+(/\\S+)\\s+\\(0x[0-9a-f]+\\)\\s*$");
    /** {@code /lib64/ld-linux-x86-64.so.2 (0x...)} */
    private static final Pattern INTERPRETER = Pattern.compile("^\\s*(/\\S+)\\s+\\(0x[0-9a-f]+\\)\\s*$");
    private static final Pattern NOT_FOUND = Pattern.compile("^\\s*(\\S+)\\s+=>\\s+not found\\s*$");

    private NativeLibraries() {
    }

    /**
     * Absolute host paths of the libraries that {@code elfFiles} need and that lie outside
     * {@code runtimeDirectory}.
     */
    public static Set<String> neededBy(List<Path> elfFiles, Path runtimeDirectory) throws IOException {
        Set<String> libraries = new TreeSet<>();
        // The JVM loads its own libraries first (libjvm.so from lib/server), so a runtime
        // library that ldd cannot place by itself is still found when the JVM runs.
        Set<String> ownNames = new TreeSet<>();
        elfFiles.forEach(f -> ownNames.add(f.getFileName().toString()));
        for (Path elf : elfFiles) {
            for (String line : ldd(elf)) {
                Matcher notFound = NOT_FOUND.matcher(line);
                if (notFound.matches() && !ownNames.contains(notFound.group(1))) {
                    throw new IOException("ldd: " + elf + " needs " + notFound.group(1) + ", not found on this host");
                }
                Matcher m = RESOLVED.matcher(line);
                if (!m.matches()) {
                    m = INTERPRETER.matcher(line);
                }
                if (m.matches()) {
                    Path library = Path.of(m.group(1)).normalize();
                    if (!library.startsWith(runtimeDirectory.toAbsolutePath().normalize())) {
                        libraries.add(library.toString());
                    }
                }
            }
        }
        return libraries;
    }

    /** True when {@code file} starts with the ELF magic. */
    public static boolean isElf(Path file) throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) < 4) {
            return false;
        }
        try (var in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(4);
            return magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
        }
    }

    private static List<String> ldd(Path elf) throws IOException {
        Process process = new ProcessBuilder("ldd", elf.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("ldd " + elf + " did not finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running ldd", e);
        }
        return output.lines().toList();
    }
}
