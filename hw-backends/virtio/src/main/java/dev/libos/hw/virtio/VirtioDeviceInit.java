package dev.libos.hw.virtio;

import java.util.Objects;
import java.util.function.LongUnaryOperator;

/**
 * The generic device initialisation sequence of VIRTIO 1.2 section 3.1.1, with feature
 * negotiation (section 2.2). The device-specific part (step 7: discover and set up virtqueues,
 * read config) is a callback, so each driver keeps only its own logic.
 */
public final class VirtioDeviceInit {
    /** How initialisation ended. */
    public enum Outcome {
        /** DRIVER_OK is set: the device is live. */
        READY,
        /** The device did not read back status 0 after reset. */
        RESET_FAILED,
        /** The device lacks a feature the driver requires (always VERSION_1). */
        MISSING_REQUIRED_FEATURES,
        /** The device did not keep FEATURES_OK after the driver wrote its features (section 3.1.1 step 6). */
        FEATURES_REJECTED,
        /** The device-specific setup reported failure. */
        SETUP_FAILED,
        /** The device set DEVICE_NEEDS_RESET during initialisation. */
        DEVICE_NEEDS_RESET
    }

    /** The result: an outcome and the features both sides agreed on (0 unless negotiated). */
    public record Result(Outcome outcome, long negotiatedFeatures) {
        public boolean ready() {
            return outcome == Outcome.READY;
        }
    }

    /** Step 7: the driver's own setup, run after FEATURES_OK and before DRIVER_OK. */
    @FunctionalInterface
    public interface DeviceSetup {
        /** @return false if the device cannot be driven (the device is then marked FAILED) */
        boolean setUp(VirtioTransport transport, long negotiatedFeatures);
    }

    private VirtioDeviceInit() {
    }

    /**
     * Runs the sequence. On any failure the device is left with FAILED set (section 3.1.1
     * "the driver SHOULD set the FAILED status bit") and the result says why.
     *
     * @param supportedFeatures bits the driver can use
     * @param requiredFeatures bits without which the driver cannot work; VERSION_1 is always added
     * @throws IllegalArgumentException if a required bit is not also supported
     */
    public static Result initialise(VirtioTransport transport, long supportedFeatures, long requiredFeatures, DeviceSetup setup) {
        return initialise(transport, supportedFeatures, requiredFeatures, LongUnaryOperator.identity(), setup);
    }

    /**
     * As {@link #initialise(VirtioTransport, long, long, DeviceSetup)}, with a rule that removes
     * bits whose prerequisites are missing from the offered-and-supported set before it is
     * written (a device may offer a feature without one it depends on).
     *
     * @param dependencies maps the offered-and-supported bits to the bits to negotiate; it may
     *                     only clear bits
     */
    public static Result initialise(VirtioTransport transport, long supportedFeatures, long requiredFeatures,
                                    LongUnaryOperator dependencies, DeviceSetup setup) {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(dependencies, "dependencies");
        Objects.requireNonNull(setup, "setup");
        long required = requiredFeatures | VirtioFeatures.VERSION_1;
        long supported = supportedFeatures | VirtioFeatures.VERSION_1;
        if ((required & ~supported) != 0) {
            throw new IllegalArgumentException("required features not supported: 0x" + Long.toHexString(required & ~supported));
        }
        // Step 1: reset the device.
        if (!transport.reset()) {
            return fail(transport, Outcome.RESET_FAILED, 0);
        }
        // Steps 2 and 3: ACKNOWLEDGE (we noticed it), DRIVER (we can drive it). Status bits
        // accumulate: each write keeps the earlier ones (section 2.1.1).
        int status = VirtioStatus.ACKNOWLEDGE;
        transport.writeStatus(status);
        status |= VirtioStatus.DRIVER;
        transport.writeStatus(status);
        // Step 4: read the device's features, write the subset we understand.
        long offered = transport.deviceFeatures();
        if ((offered & required) != required) {
            return fail(transport, Outcome.MISSING_REQUIRED_FEATURES, 0);
        }
        long candidates = offered & supported;
        long negotiated = dependencies.applyAsLong(candidates) & candidates;
        if ((negotiated & required) != required) {
            return fail(transport, Outcome.MISSING_REQUIRED_FEATURES, 0);
        }
        transport.writeDriverFeatures(negotiated);
        // Step 5: FEATURES_OK; after it the driver must not accept new feature bits.
        status |= VirtioStatus.FEATURES_OK;
        transport.writeStatus(status);
        // Step 6: re-read: a device that cannot work with this subset clears FEATURES_OK.
        int readBack = transport.readStatus();
        if ((readBack & VirtioStatus.DEVICE_NEEDS_RESET) != 0) {
            return fail(transport, Outcome.DEVICE_NEEDS_RESET, negotiated);
        }
        if ((readBack & VirtioStatus.FEATURES_OK) == 0) {
            return fail(transport, Outcome.FEATURES_REJECTED, negotiated);
        }
        // Step 7: device-specific setup (virtqueues, config).
        if (!setup.setUp(transport, negotiated)) {
            return fail(transport, Outcome.SETUP_FAILED, negotiated);
        }
        // Step 8: DRIVER_OK; the device is live from here on.
        status |= VirtioStatus.DRIVER_OK;
        transport.writeStatus(status);
        if ((transport.readStatus() & VirtioStatus.DEVICE_NEEDS_RESET) != 0) {
            return fail(transport, Outcome.DEVICE_NEEDS_RESET, negotiated);
        }
        return new Result(Outcome.READY, negotiated);
    }

    private static Result fail(VirtioTransport transport, Outcome outcome, long negotiated) {
        transport.writeStatus(transport.readStatus() | VirtioStatus.FAILED);
        return new Result(outcome, negotiated);
    }
}
