package dev.libos.hw.virtio;

import dev.libos.api.device.DmaMemory;
import dev.libos.hw.pci.PciAttachment;
import dev.libos.hw.pci.PciDevice;
import dev.libos.hw.pci.PciDriverProvider;
import dev.libos.hw.pci.PciIds;
import dev.libos.hw.pci.UioInterrupt;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Claims modern and transitional virtio-net PCI functions (1af4:1041, or transitional with subsystem device 1) and drives them with {@link VirtioNetDevice}. */
public final class VirtioNetPciDriver implements PciDriverProvider {
    private static final Logger LOG = LoggerFactory.getLogger(VirtioNetPciDriver.class);
    /** The virtio device type (VIRTIO 1.2 section 5). */
    static final int DEVICE_TYPE = 1;
    /** Device id of a modern (non-transitional) virtio-net: 0x1040 + device type 1. */
    public static final int DEVICE_ID = 0x1041;
    static final int MAX_QUEUE_SIZE = 256;
    /** Set to false for poll mode without interrupts (the behaviour before uio, for comparison). */
    public static final String WAKEUP_PROPERTY = "libos.net.interrupts";
    /** Set to true to print the device's counters at the 1st, 2nd, 4th, 8th... interrupt. */
    static final String TRACE_PROPERTY = "libos.net.interrupts.trace";
    /** Used when the device has no MAC: locally administered, QEMU's prefix. */
    static final byte[] FALLBACK_MAC = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};

    @Override
    public String name() {
        return "virtio-net";
    }

    @Override
    public boolean supports(PciIds ids) {
        return VirtioPci.claims(ids, DEVICE_TYPE);
    }

    @Override
    public PciAttachment attach(PciDevice device, DmaMemory memory) throws IOException {
        VirtioPciTransport transport = VirtioPci.transport(device, Arena.global());
        VirtioNetDevice net = VirtioNetDevice.open("vnet-" + device.address(), transport, memory, MAX_QUEUE_SIZE, FALLBACK_MAC);
        return new PciAttachment.Net(device, name(), net, receiveWakeup(device, net));
    }

    /** Every 5 s: the kernel's count for the uio interrupt, the command and status registers, the counters. */
    private static void startTrace(PciDevice device, VirtioNetDevice net, String uio) {
        Thread.ofPlatform().daemon().name("libos-irq-trace").start(() -> {
            while (true) {
                try {
                    Thread.sleep(5_000);
                    String line = Files.readAllLines(Path.of("/proc/interrupts")).stream()
                            .filter(l -> l.contains(UioInterrupt.DRIVER)).findFirst().orElse("(no " + UioInterrupt.DRIVER + " in /proc/interrupts)");
                    LOG.info("trace {}: irq {}, {}; command 0x{} status 0x{}; {}", uio,
                            Files.readString(device.directory().resolve("irq")).strip(), line.strip().replaceAll("\\s+", " "),
                            Integer.toHexString(device.readConfig16(0x04)), Integer.toHexString(device.readConfig16(0x06)), net.counters());
                } catch (Exception e) {
                    LOG.warn("trace {} stops: {}", uio, e.toString());
                    return;
                }
            }
        });
    }

    /**
     * Has the device's interrupt wake its poller through uio, unless {@value #WAKEUP_PROPERTY}
     * is false. MSI-X stays off (uio_pci_generic does not enable it), so the device signals on
     * its legacy INTx line and the ISR status says why (VIRTIO 1.2 section 4.1.5.3).
     *
     * @return how the device wakes its poller, for the console
     */
    static String receiveWakeup(PciDevice device, VirtioNetDevice net) {
        if (!Boolean.parseBoolean(System.getProperty(WAKEUP_PROPERTY, "true"))) {
            return "polling (" + WAKEUP_PROPERTY + "=false)";
        }
        try {
            UioInterrupt interrupt = UioInterrupt.bind(device);
            Runnable acknowledge = net.useInterrupts();
            boolean trace = Boolean.getBoolean(TRACE_PROPERTY);
            String uio = interrupt.uioName();
            Runnable handler = () -> {
                acknowledge.run();
                long n = net.counters().interrupts();
                if (n == 1) {
                    LOG.info("{} first interrupt via {}: an idle CPU now sleeps until the card interrupts", net.name(), uio);
                } else if (trace && Long.bitCount(n) == 1) { // 2, 4, 8, ...: a trace that stays short
                    LOG.info("{} interrupt {}: {}", net.name(), n, net.counters());
                }
            };
            interrupt.start(handler, net::interruptsLost);
            if (trace) {
                startTrace(device, net, uio);
            }
            return "interrupt via " + uio + " (trusted once the first one arrives; polled until then)";
        } catch (IOException | RuntimeException e) {
            return "polling (no interrupt: " + e.getMessage() + ")";
        }
    }
}
