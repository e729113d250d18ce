package dev.libos.examples.hello;

import dev.libos.api.LibOS;

/** Prints a line from a libos thread and exits 0. */
public final class Hello {
    private Hello() {
    }

    public static void main(String[] args) {
        LibOS os = LibOS.current();
        Thread self = Thread.currentThread();
        System.out.printf("Hello from libos thread '%s' on virtual CPU %d of %d (libos thread: %b)%n",
                self.getName(), os.cpus().current(), os.cpus().count(), os.threads().isLibosThread(self));
    }
}
