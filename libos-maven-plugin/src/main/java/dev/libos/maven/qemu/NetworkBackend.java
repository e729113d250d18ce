package dev.libos.maven.qemu;

import java.util.List;

/** Where the guest's NIC is plugged in on the host side: QEMU's {@code -netdev}. */
public sealed interface NetworkBackend {
    /** No NIC at all. */
    NetworkBackend NONE = new None();

    /** The {@code -netdev} option value with id {@code id}, or null for no NIC. */
    String netdev(String id);

    /**
     * The backend the run goal's settings ask for: a TAP interface when {@code tap} is given,
     * otherwise user networking when there are forwards, otherwise none.
     *
     * @throws IllegalArgumentException when both are given (a TAP backend has no forwards) or the
     *         TAP name is not a Linux interface name
     */
    static NetworkBackend of(String tap, List<Forwards.Forward> forwards) {
        if (tap == null || tap.isBlank()) {
            return forwards.isEmpty() ? NONE : new User(forwards);
        }
        if (!forwards.isEmpty()) {
            throw new IllegalArgumentException("tap: a TAP backend takes no forwards (reach the guest through "
                    + tap.trim() + " instead), got both tap=" + tap.trim() + " and " + forwards.size() + " forward(s)");
        }
        return new Tap(tap.trim());
    }

    /** No NIC. */
    record None() implements NetworkBackend {
        @Override
        public String netdev(String id) {
            return null;
        }
    }

    /** QEMU's user-mode network (slirp): the guest at 10.0.2.15, host ports forwarded from 127.0.0.1. */
    record User(List<Forwards.Forward> forwards) implements NetworkBackend {
        public User {
            forwards = List.copyOf(forwards);
        }

        @Override
        public String netdev(String id) {
            StringBuilder netdev = new StringBuilder("user,id=" + id);
            forwards.forEach(f -> netdev.append(",hostfwd=").append(f.hostfwd()));
            return netdev.toString();
        }
    }

    /**
     * An existing TAP interface on the host (made and addressed by the caller, for example in a
     * network namespace): frames go straight between the guest's NIC and that interface, so the
     * host side can ping the guest. QEMU runs no up/down scripts.
     */
    record Tap(String interfaceName) implements NetworkBackend {
        /** Linux's IFNAMSIZ less the terminating NUL. */
        static final int MAX_NAME_LENGTH = 15;

        public Tap {
            // QEMU splits options at ',' and Linux rejects '/' and white space in names.
            if (interfaceName.isEmpty() || interfaceName.length() > MAX_NAME_LENGTH
                    || !interfaceName.matches("[A-Za-z0-9_.-]+")) {
                throw new IllegalArgumentException("tap: '" + interfaceName + "' is not an interface name (1-"
                        + MAX_NAME_LENGTH + " of A-Z a-z 0-9 _ . -)");
            }
        }

        @Override
        public String netdev(String id) {
            return "tap,id=" + id + ",ifname=" + interfaceName + ",script=no,downscript=no";
        }
    }
}
