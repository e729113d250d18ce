package dev.libos.hw.virtio;

import static dev.libos.hw.virtio.VirtioStatus.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class VirtioDeviceInitTest {
    private final FakeVirtioTransport transport = new FakeVirtioTransport();

    @Test
    void followsSection311InOrderAndNegotiatesTheIntersection() {
        transport.offeredFeatures = VirtioFeatures.VERSION_1 | VirtioFeatures.RING_EVENT_IDX | VirtioFeatures.RING_PACKED | VirtioFeatures.NET_MAC;
        long[] seenBySetup = {-1};
        int[] statusDuringSetup = {-1};
        var result = VirtioDeviceInit.initialise(transport, VirtioFeatures.RING_EVENT_IDX | VirtioFeatures.NET_MAC | VirtioFeatures.NET_STATUS, 0,
                (t, features) -> {
                    seenBySetup[0] = features;
                    statusDuringSetup[0] = t.readStatus();
                    return true;
                });
        assertTrue(result.ready());
        long expected = VirtioFeatures.VERSION_1 | VirtioFeatures.RING_EVENT_IDX | VirtioFeatures.NET_MAC;
        assertEquals(expected, result.negotiatedFeatures());
        assertEquals(expected, transport.driverFeatures);
        assertEquals(expected, seenBySetup[0]);
        assertEquals(ACKNOWLEDGE | DRIVER | FEATURES_OK, statusDuringSetup[0]);
        assertEquals(List.of(0, ACKNOWLEDGE, ACKNOWLEDGE | DRIVER, ACKNOWLEDGE | DRIVER | FEATURES_OK,
                ACKNOWLEDGE | DRIVER | FEATURES_OK | DRIVER_OK), transport.statusWrites);
    }

    @Test
    void legacyOnlyDeviceIsRefusedBeforeFeaturesAreWritten() {
        transport.offeredFeatures = VirtioFeatures.RING_EVENT_IDX;
        var result = VirtioDeviceInit.initialise(transport, 0, 0, (t, f) -> fail("setup must not run"));
        assertEquals(VirtioDeviceInit.Outcome.MISSING_REQUIRED_FEATURES, result.outcome());
        assertEquals(-1, transport.driverFeatures);
        assertEquals(FAILED, transport.status & FAILED);
    }

    @Test
    void missingRequiredFeatureFails() {
        var result = VirtioDeviceInit.initialise(transport, VirtioFeatures.NET_MAC, VirtioFeatures.NET_MAC, (t, f) -> fail("setup must not run"));
        assertEquals(VirtioDeviceInit.Outcome.MISSING_REQUIRED_FEATURES, result.outcome());
    }

    @Test
    void deviceClearingFeaturesOkFailsTheDevice() {
        transport.rejectFeatures = true;
        var result = VirtioDeviceInit.initialise(transport, 0, 0, (t, f) -> fail("setup must not run"));
        assertEquals(VirtioDeviceInit.Outcome.FEATURES_REJECTED, result.outcome());
        assertEquals(FAILED, transport.status & FAILED);
        assertEquals(0, transport.status & DRIVER_OK);
    }

    @Test
    void resetThatNeverCompletesFails() {
        transport.resetWorks = false;
        var result = VirtioDeviceInit.initialise(transport, 0, 0, (t, f) -> fail("setup must not run"));
        assertEquals(VirtioDeviceInit.Outcome.RESET_FAILED, result.outcome());
    }

    @Test
    void setupFailureAndNeedsResetAreReported() {
        var setupFailed = VirtioDeviceInit.initialise(transport, 0, 0, (t, f) -> false);
        assertEquals(VirtioDeviceInit.Outcome.SETUP_FAILED, setupFailed.outcome());
        assertEquals(0, transport.status & DRIVER_OK);
        transport.needsResetAfterDriverOk = true;
        var needsReset = VirtioDeviceInit.initialise(transport, 0, 0, (t, f) -> true);
        assertEquals(VirtioDeviceInit.Outcome.DEVICE_NEEDS_RESET, needsReset.outcome());
        assertEquals(FAILED, transport.status & FAILED);
    }

    @Test
    void requiredButUnsupportedIsMisuse() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> VirtioDeviceInit.initialise(transport, 0, VirtioFeatures.NET_MAC, (t, f) -> true));
        assertTrue(e.getMessage().contains("0x20"));
    }
}
