package dev.libos.sim;

/** A run that cannot go on: deadlock, nondeterminism in a strict run, a limit reached. */
public final class SimulationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SimulationException(String message) {
        super(message);
    }
}
