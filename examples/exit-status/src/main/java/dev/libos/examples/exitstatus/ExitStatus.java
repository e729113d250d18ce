package dev.libos.examples.exitstatus;

/** Exits with status 3 (or the status given as the first argument) through System.exit. */
public final class ExitStatus {
    private ExitStatus() {
    }

    public static void main(String[] args) {
        int status = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        System.out.println("exit-status example: System.exit(" + status + ")");
        System.exit(status);
    }
}
