package dev.libos.maven.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinuxNetworkImageTest {
    /** The lines of Debian's 6.1 cloud kernel's modules.dep that matter, and one that does not. */
    static final String MODULES_DEP = """
            kernel/drivers/virtio/virtio.ko: kernel/drivers/virtio/virtio_ring.ko
            kernel/drivers/virtio/virtio_ring.ko:
            kernel/drivers/virtio/virtio_pci_modern_dev.ko:
            kernel/drivers/virtio/virtio_pci_legacy_dev.ko:
            kernel/drivers/block/virtio_blk.ko: kernel/drivers/virtio/virtio.ko kernel/drivers/virtio/virtio_ring.ko
            kernel/drivers/virtio/virtio_pci.ko: kernel/drivers/virtio/virtio_pci_legacy_dev.ko kernel/drivers/virtio/virtio_pci_modern_dev.ko kernel/drivers/virtio/virtio.ko kernel/drivers/virtio/virtio_ring.ko
            kernel/drivers/net/virtio_net.ko: kernel/drivers/net/net_failover.ko kernel/net/core/failover.ko kernel/drivers/virtio/virtio.ko kernel/drivers/virtio/virtio_ring.ko
            kernel/drivers/net/net_failover.ko: kernel/net/core/failover.ko
            kernel/net/core/failover.ko:
            """;

    @Test
    void everyModuleComesAfterTheModulesItNeeds() {
        List<String> order = KernelModules.parse(MODULES_DEP, "modules.dep").loadOrder(LinuxNetworkImage.ROOT_MODULES)
                .stream().map(KernelModules::nameOf).toList();
        assertEquals(List.of("virtio_ring", "virtio", "virtio_pci_modern_dev", "virtio_pci_legacy_dev", "virtio_pci",
                "failover", "net_failover", "virtio_net"), order);
    }

    @Test
    void aMissingModuleOrDependencyIsNamed() {
        KernelModules modules = KernelModules.parse(MODULES_DEP, "modules.dep");
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> modules.loadOrder(List.of("e1000")));
        assertTrue(missing.getMessage().contains("module e1000 is not in modules.dep"), missing.getMessage());
        KernelModules orphan = KernelModules.parse("kernel/a.ko: kernel/b.ko\n", "dep");
        IllegalArgumentException needed = assertThrows(IllegalArgumentException.class, () -> orphan.loadOrder(List.of("a")));
        assertTrue(needed.getMessage().contains("kernel/b.ko is needed but has no line"), needed.getMessage());
        KernelModules cycle = KernelModules.parse("kernel/a.ko: kernel/b.ko\nkernel/b.ko: kernel/a.ko\n", "dep");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> cycle.loadOrder(List.of("a"))).getMessage().contains("cycle"));
    }

    @Test
    void malformedLinesAndPathsOutsideTheDirectoryAreRefused() {
        for (String bad : List.of("no colon here", "/abs/x.ko:", "kernel/x.ko: ../../etc/passwd.ko", "kernel/x.txt:")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelModules.parse(bad, "dep"));
            assertTrue(e.getMessage().startsWith("dep line 1"), e.getMessage());
        }
    }

    @Test
    void unknownSettingIsNamedAndLibosIsTheDefault(@TempDir Path dir) {
        assertNull(LinuxNetworkImage.of(null, dir.resolve("vmlinuz-1"), dir));
        assertNull(LinuxNetworkImage.of("libos", dir.resolve("vmlinuz-1"), dir));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LinuxNetworkImage.wantsLinux("bsd"));
        assertTrue(e.getMessage().startsWith("libos.network must be libos"), e.getMessage());
        IllegalArgumentException noModules = assertThrows(IllegalArgumentException.class,
                () -> LinuxNetworkImage.of("linux", dir.resolve("vmlinuz-9.9"), dir));
        assertTrue(noModules.getMessage().contains("modules.dep does not exist"), noModules.getMessage());
    }

    @Test
    void imageHoldsTheModulesUncompressedWithTheirOrder(@TempDir Path root) throws IOException {
        Path dir = root.resolve("6.1-test");
        Files.createDirectories(dir);
        // The same tree, compressed three ways: the image holds identical uncompressed bytes.
        String dep = MODULES_DEP.replace("virtio_net.ko", "virtio_net.ko.gz");
        Files.writeString(dir.resolve("modules.dep"), dep);
        for (String line : dep.strip().split("\n")) {
            Path module = dir.resolve(line.substring(0, line.indexOf(':')));
            Files.createDirectories(module.getParent());
            byte[] body = ("ELF " + KernelModules.nameOf(module.toString())).getBytes(StandardCharsets.US_ASCII);
            Files.write(module, module.toString().endsWith(".gz") ? gzip(body) : body);
        }
        LinuxNetworkImage image = LinuxNetworkImage.of("linux", root.resolve("vmlinuz-6.1-test"), root);
        assertEquals("-Dlibos.network=linux", image.jvmOption());
        List<CpioEntry> entries = image.entries();
        assertEquals("libos/linux-network", entries.getFirst().path());
        CpioEntry net = entries.stream().filter(e -> e.path().equals("libos/linux-network/virtio_net.ko")).findFirst().orElseThrow();
        assertArrayEquals("ELF virtio_net".getBytes(StandardCharsets.US_ASCII), bytes(net));
        CpioEntry order = entries.getLast();
        assertEquals("libos/linux-network/modules.order", order.path());
        assertEquals("virtio_ring.ko\nvirtio.ko\nvirtio_pci_modern_dev.ko\nvirtio_pci_legacy_dev.ko\nvirtio_pci.ko\n"
                + "failover.ko\nnet_failover.ko\nvirtio_net.ko\n", new String(bytes(order), StandardCharsets.US_ASCII));
        assertEquals(10, entries.size());
    }

    @Test
    void aCorruptCompressedModuleIsNamed(@TempDir Path dir) throws IOException {
        Path broken = dir.resolve("virtio.ko.xz");
        Files.write(broken, new byte[] {1, 2, 3});
        IOException e = assertThrows(IOException.class, () -> LinuxNetworkImage.uncompressed(broken));
        assertTrue(e.getMessage().contains("cannot uncompress " + broken), e.getMessage());
    }

    private static byte[] gzip(byte[] body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(body);
        }
        return out.toByteArray();
    }

    private static byte[] bytes(CpioEntry entry) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        entry.content().writeTo(out);
        return out.toByteArray();
    }
}
