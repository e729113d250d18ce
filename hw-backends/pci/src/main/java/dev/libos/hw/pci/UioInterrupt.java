package dev.libos.hw.pci;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PCI device's legacy interrupt (INTx) delivered to this process by Linux's
 * {@code uio_pci_generic}: the device is bound to that driver (its BARs stay mappable through
 * sysfs as before), and {@code /dev/uioN} becomes readable once per interrupt. The kernel's
 * handler masks INTx in the command register (Interrupt Disable, bit 10; PCI 3.0 section 6.2.2)
 * so that a level-triggered line does not storm; the reader acknowledges the interrupt at the
 * device (for virtio: reads its ISR status) and then unmasks INTx by clearing that bit through
 * the device's sysfs {@code config} file. (Writing 1 to {@code /dev/uioN} is the uio way for
 * drivers with an {@code irqcontrol} hook; uio_pci_generic has none and answers ENOSYS, see
 * Documentation/driver-api/uio-howto.rst, "Using uio_pci_generic".)
 *
 * <p>The files stay open for the life of the process: when the last descriptor of
 * {@code /dev/uioN} closes, uio_pci_generic clears the device's bus mastering (its release
 * hook), which would stop the DMA the driver still relies on.
 *
 * <p>One small platform thread per device ({@link #start}) blocks in {@code read} and runs the
 * driver's handler for each interrupt; it costs nothing while no interrupt comes.
 */
public final class UioInterrupt {
    private static final Logger LOG = LoggerFactory.getLogger(UioInterrupt.class);
    /** The kernel driver, as its name appears under {@code /sys/bus/pci/drivers}. */
    public static final String DRIVER = "uio_pci_generic";
    /** How long {@link #bind} waits for devtmpfs to create the device node before making it. */
    static final long NODE_WAIT_NANOS = 1_000_000_000L;

    /** Command register bit 10: INTx emulation disabled (PCI 3.0 section 6.2.2). */
    static final int COMMAND_INTX_DISABLE = 0x400;
    /** Every interrupt opened: never closed, see the class comment. */
    private static final java.util.List<UioInterrupt> OPEN = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final String deviceAddress;
    private final String uioName;
    private final FileChannel channel;
    private final FileChannel config;
    private volatile Thread waiter;

    private UioInterrupt(String deviceAddress, String uioName, FileChannel channel, FileChannel config) {
        this.deviceAddress = deviceAddress;
        this.uioName = uioName;
        this.channel = channel;
        this.config = config;
    }

    /**
     * Binds {@code device} to {@code uio_pci_generic} (through its {@code driver_override}, so no
     * other device of the same ids is taken) and opens its {@code /dev/uioN}.
     *
     * @param pciDrivers {@code /sys/bus/pci/drivers}
     * @param classUio {@code /sys/class/uio}
     * @param dev {@code /dev}
     * @throws IOException naming what is missing: the driver not loaded (no directory), another
     *         kernel driver bound, no uio device registered (the device has no INTx pin, or its
     *         INTx cannot be masked), the node not openable
     */
    public static UioInterrupt bind(PciDevice device, Path pciDrivers, Path classUio, Path dev) throws IOException {
        Objects.requireNonNull(device, "device");
        Path driver = pciDrivers.resolve(DRIVER);
        if (!Files.isDirectory(driver)) {
            throw new IOException(DRIVER + " is not loaded (" + driver + " does not exist)");
        }
        String bound = device.kernelDriver().orElse(null);
        if (bound == null) {
            Files.writeString(device.directory().resolve("driver_override"), DRIVER);
            Files.writeString(driver.resolve("bind"), device.address());
        } else if (!bound.equals(DRIVER)) {
            throw new IOException(device.address() + " is bound to kernel driver " + bound);
        }
        String uio = uioName(device.directory().resolve("uio"));
        Path node = dev.resolve(uio);
        ensureNode(node, classUio.resolve(uio).resolve("dev"));
        FileChannel channel = FileChannel.open(node, StandardOpenOption.READ);
        FileChannel config = FileChannel.open(device.directory().resolve("config"), StandardOpenOption.READ, StandardOpenOption.WRITE);
        UioInterrupt interrupt = new UioInterrupt(device.address(), uio, channel, config);
        OPEN.add(interrupt);
        return interrupt;
    }

    /** Binds with the running system's paths. */
    public static UioInterrupt bind(PciDevice device) throws IOException {
        return bind(device, Path.of("/sys/bus/pci/drivers"), Path.of("/sys/class/uio"), Path.of("/dev"));
    }

    /** The single {@code uioN} entry of a bound device's {@code uio} directory. */
    static String uioName(Path uioDirectory) throws IOException {
        if (!Files.isDirectory(uioDirectory)) {
            throw new IOException(uioDirectory + " does not exist: " + DRIVER + " registered no uio device"
                    + " (no INTx pin, or INTx masking unsupported)");
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(uioDirectory, "uio[0-9]*")) {
            for (Path entry : entries) {
                return entry.getFileName().toString();
            }
        }
        throw new IOException(uioDirectory + " holds no uioN entry");
    }

    /** Waits for devtmpfs to create {@code node}; makes it from the sysfs {@code dev} file if it does not. */
    private static void ensureNode(Path node, Path devFile) throws IOException {
        // Real time on purpose: devtmpfs creates the node in real time, also under a simulated clock.
        long deadline = System.nanoTime() + NODE_WAIT_NANOS;
        while (!Files.exists(node)) {
            if (System.nanoTime() - deadline > 0) {
                int[] number = parseDeviceNumber(SysfsText.read(devFile), devFile);
                Posix.mknodCharacter(node.toString(), 0600, number[0], number[1]);
                return;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted waiting for " + node, e);
            }
        }
    }

    /**
     * Parses a sysfs {@code dev} attribute, {@code MAJOR:MINOR} in decimal.
     *
     * @throws MalformedSysfsException naming the file for anything else
     */
    static int[] parseDeviceNumber(String text, Path file) throws MalformedSysfsException {
        String value = text.strip();
        int colon = value.indexOf(':');
        try {
            if (colon > 0 && colon < value.length() - 1 && value.chars().allMatch(c -> c == ':' || (c >= '0' && c <= '9'))) {
                int major = Integer.parseInt(value.substring(0, colon));
                int minor = Integer.parseInt(value.substring(colon + 1));
                if (major < (1 << 12) && minor < (1 << 20)) {
                    return new int[] {major, minor};
                }
            }
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw new MalformedSysfsException(file, "not MAJOR:MINOR: '" + value + "'");
    }

    /** The uio device's name ({@code uio0}). */
    public String uioName() {
        return uioName;
    }

    /**
     * Starts the waiter thread: for every interrupt it runs {@code handler} (which must
     * acknowledge the interrupt at the device, so the line drops) and then unmasks INTx. Stops
     * when reading or writing the file fails, and then runs {@code onStop} (the driver goes back
     * to polling).
     *
     * @throws IllegalStateException when already started
     */
    public synchronized void start(Runnable handler, Runnable onStop) {
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(onStop, "onStop");
        if (waiter != null) {
            throw new IllegalStateException(uioName + " already has a waiter");
        }
        Thread thread = Thread.ofPlatform().daemon().name("libos-irq-" + uioName).unstarted(() -> {
            try {
                waitLoop(handler);
            } finally {
                onStop.run();
            }
        });
        waiter = thread;
        thread.start();
    }

    private void waitLoop(Runnable handler) {
        ByteBuffer count = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder());
        ByteBuffer command = ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN);
        try {
            unmask(command); // INTx may be masked from before this process
            while (true) {
                count.clear();
                // Blocks until the next interrupt; returns the 4-byte interrupt count.
                if (channel.read(count) != 4) {
                    throw new IOException("short read");
                }
                try {
                    handler.run();
                } catch (RuntimeException e) {
                    LOG.warn("{} (pci {}): interrupt handler failed", uioName, deviceAddress, e);
                }
                unmask(command);
            }
        } catch (IOException e) {
            LOG.warn("{} (pci {}): interrupts stop, the driver polls: {}", uioName, deviceAddress, e.toString());
        }
    }

    /**
     * Clears Interrupt Disable with a read-modify-write of the 16-bit command register. The
     * kernel's handler writes the register only while INTx is unmasked and the device asserts
     * it, and it is masked here, so the two do not race.
     */
    private void unmask(ByteBuffer command) throws IOException {
        command.clear();
        if (config.read(command, PciConfigSpace.COMMAND) != 2) {
            throw new IOException("short read of the command register");
        }
        int value = command.getShort(0) & 0xffff;
        if ((value & COMMAND_INTX_DISABLE) == 0) {
            return;
        }
        command.clear();
        command.putShort(0, (short) (value & ~COMMAND_INTX_DISABLE));
        if (config.write(command, PciConfigSpace.COMMAND) != 2) {
            throw new IOException("short write re-enabling INTx");
        }
    }
}
