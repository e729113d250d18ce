package dev.libos.hw.hosted.tap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Linux network namespace made for one run (with iproute2's {@code ip netns}), where a TAP
 * interface and the Linux tools that talk to it live apart from the host's own network. Names
 * are unique per process and run, so a leftover from a crashed run never collides; {@link #close()}
 * stops the processes started in it and deletes it, and with it every interface inside.
 *
 * <p>Needs root (CAP_SYS_ADMIN and CAP_NET_ADMIN); {@link #unavailableReason()} says why not.
 */
public final class NetworkNamespace implements AutoCloseable {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final long COMMAND_TIMEOUT_SECONDS = 30;

    private final String name;
    private final List<Process> started = new ArrayList<>();
    private boolean closed;

    private NetworkNamespace(String name) {
        this.name = name;
    }

    /** The output and exit status of one finished command. */
    public record CommandResult(int exitCode, String output) {
        /** True when the command exited with 0. */
        public boolean succeeded() {
            return exitCode == 0;
        }
    }

    /**
     * Why namespaces with a TAP cannot be made here, or empty when they can: not root, no
     * {@code /dev/net/tun}, or no working {@code ip netns}.
     */
    public static Optional<String> unavailableReason() {
        try {
            if (!isRoot()) {
                return Optional.of("needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN) to create TAP devices and namespaces");
            }
            Path tun = Path.of(TapDevice.TUN_PATH);
            if (!Files.exists(tun) || !Files.isReadable(tun) || !Files.isWritable(tun)) {
                return Optional.of(TapDevice.TUN_PATH + " is missing or not readable and writable");
            }
            CommandResult list = run(List.of("ip", "netns", "list"));
            if (!list.succeeded()) {
                return Optional.of("'ip netns list' failed (exit " + list.exitCode() + "): " + list.output().strip());
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("'ip' (iproute2) is not runnable: " + e.getMessage());
        }
    }

    /** Whether {@code tool} is found on the PATH (for tests that need a Linux tool). */
    public static boolean toolAvailable(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isRoot() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Uid:")) {
                String[] ids = line.substring(4).trim().split("\\s+");
                return ids.length > 1 && ids[1].equals("0"); // the effective uid
            }
        }
        return false;
    }

    /**
     * A name unique to this process and call: {@code prefix} plus the pid and a sequence number
     * in base 36, at most 15 characters so that it also fits an interface name.
     *
     * @throws IllegalArgumentException when {@code prefix} leaves no room (more than 5 characters)
     */
    public static String uniqueName(String prefix) {
        if (prefix == null || prefix.isEmpty() || prefix.length() > 5) {
            throw new IllegalArgumentException("prefix must have 1 to 5 characters: " + prefix);
        }
        String pid = Long.toString(ProcessHandle.current().pid(), 36);
        String sequence = Integer.toString(SEQUENCE.incrementAndGet(), 36);
        String unique = prefix + pid + "x" + sequence;
        return unique.length() <= 15 ? unique : unique.substring(unique.length() - 15);
    }

    /**
     * Creates a namespace with a unique name starting with {@code prefix} and brings its
     * loopback up.
     *
     * @throws IOException naming the failed command and its output
     */
    public static NetworkNamespace create(String prefix) throws IOException {
        NetworkNamespace namespace = new NetworkNamespace(uniqueName(prefix));
        check(run(List.of("ip", "netns", "add", namespace.name)), "ip netns add " + namespace.name);
        try {
            namespace.execChecked("ip", "link", "set", "lo", "up");
        } catch (IOException | RuntimeException e) {
            namespace.close();
            throw e;
        }
        return namespace;
    }

    /** The namespace's name. */
    public String name() {
        return name;
    }

    /**
     * Moves interface {@code device} from the caller's namespace into this one
     * ({@code ip link set DEV netns NS}); an open TAP descriptor keeps working.
     */
    public void moveLink(String device) throws IOException {
        check(run(List.of("ip", "link", "set", device, "netns", name)), "ip link set " + device + " netns " + name);
    }

    /** Runs {@code command} inside the namespace and waits for it (30 s at most). */
    public CommandResult exec(String... command) throws IOException {
        return run(inside(command));
    }

    /** Runs {@code command} inside the namespace and fails unless it exits with 0. */
    public String execChecked(String... command) throws IOException {
        return check(exec(command), String.join(" ", command)).output();
    }

    /**
     * Starts a long-running {@code command} inside the namespace (stderr merged into stdout); it
     * is stopped by {@link #close()} if the caller has not stopped it.
     */
    public synchronized Process start(String... command) throws IOException {
        if (closed) {
            throw new IllegalStateException("namespace " + name + " is closed");
        }
        Process process = new ProcessBuilder(inside(command)).redirectErrorStream(true).start();
        started.add(process);
        return process;
    }

    private List<String> inside(String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(command));
        return full;
    }

    private static CommandResult run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            process.getOutputStream().close();
            // Output is read to the end before waiting: a full pipe would otherwise stall the child.
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in " + COMMAND_TIMEOUT_SECONDS + " s");
            }
            return new CommandResult(process.exitValue(), output);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted running " + String.join(" ", command));
        }
    }

    private static CommandResult check(CommandResult result, String what) throws IOException {
        if (!result.succeeded()) {
            throw new IOException(what + " failed (exit " + result.exitCode() + "): " + result.output().strip());
        }
        return result;
    }

    /**
     * Stops the processes started here, then deletes the namespace (and the interfaces in it).
     * Idempotent.
     *
     * @throws IOException when {@code ip netns del} fails
     */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        for (Process process : started) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        for (Process process : started) {
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        check(run(List.of("ip", "netns", "del", name)), "ip netns del " + name);
    }

    @Override
    public String toString() {
        return "NetworkNamespace[" + name + "]";
    }
}
