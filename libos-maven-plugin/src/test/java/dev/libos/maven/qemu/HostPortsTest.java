package dev.libos.maven.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostPortsTest {
    @Test
    void aPortSomeoneListensOnIsReportedByNumberAndSetting() throws IOException {
        int port;
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            port = taken.getLocalPort();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> HostPorts.requireFree(Forwards.parse(port + ":80")));
            assertTrue(e.getMessage().startsWith("host port " + port + " (libos.forwards) is already in use"), e.getMessage());
        }
        HostPorts.requireFree(Forwards.parse(port + ":80"));
    }

    @Test
    void aListenerOnAllAddressesAlsoTakesTheLoopbackPort() throws IOException {
        try (ServerSocket taken = new ServerSocket(0)) {
            int port = taken.getLocalPort();
            assertThrows(IllegalArgumentException.class, () -> HostPorts.requireFree(List.of(new Forwards.Forward(port, 1))));
        }
    }

    @Test
    void aHostPortForwardedTwiceIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HostPorts.requireFree(Forwards.parse("1:80,1:81")));
        assertEquals("host port 1 (libos.forwards) is forwarded twice", e.getMessage());
    }
}
