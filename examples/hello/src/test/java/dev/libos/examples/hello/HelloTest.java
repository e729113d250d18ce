package dev.libos.examples.hello;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.core.Boot;
import dev.libos.core.Kernel;
import dev.libos.core.testing.TestKernels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HelloTest {
    @Test
    void printsItsLineFromALibosThreadAndSucceeds() {
        Kernel kernel = TestKernels.boot(2);
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            int status = Boot.runMain(kernel, Hello.class.getName(), new String[0], System.err);
            assertEquals(0, status);
        } finally {
            System.setOut(stdout);
            TestKernels.shutdown(kernel);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertTrue(out.startsWith("Hello from libos thread 'main' on virtual CPU "), out);
        assertTrue(out.contains("(libos thread: true)"), out);
    }
}
