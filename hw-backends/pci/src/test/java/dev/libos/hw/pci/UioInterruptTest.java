package dev.libos.hw.pci;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UioInterruptTest {
    @TempDir
    Path sysfs;

    private Path virtioNet() throws IOException {
        return new FakeSysfs(sysfs.resolve("devices")).device("0000:00:03.0", 0x1af4, 0x1041, 0x020000).directory;
    }

    @Test
    void aDeviceAnotherKernelDriverHoldsIsRefused() throws IOException {
        FakeSysfs.Device fake = new FakeSysfs(sysfs.resolve("devices")).device("0000:00:03.0", 0x1af4, 0x1041, 0x020000);
        fake.bindKernelDriver("virtio-pci");
        Files.createDirectories(sysfs.resolve("drivers/uio_pci_generic"));
        IOException e = assertThrows(IOException.class,
                () -> UioInterrupt.bind(PciDevice.open(fake.directory), sysfs.resolve("drivers"), sysfs.resolve("class"), sysfs.resolve("dev")));
        assertTrue(e.getMessage().contains("bound to kernel driver virtio-pci"), e.getMessage());
    }

    @Test
    void deviceNumbersAreParsedAndBadOnesNamed() throws Exception {
        Path file = Path.of("/sys/class/uio/uio0/dev");
        assertArrayEquals(new int[] {243, 0}, UioInterrupt.parseDeviceNumber("243:0\n", file));
        for (String bad : new String[] {"", "243", "243:", ":0", "a:b", "-1:0", "243:0:1", "99999999999:0", "4096:0"}) {
            MalformedSysfsException e = assertThrows(MalformedSysfsException.class, () -> UioInterrupt.parseDeviceNumber(bad, file));
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        }
    }

    @Test
    void makedevMatchesGlibc() {
        assertEquals(0xf300L, Posix.makedev(243, 0));
        // glibc's gnu_dev_makedev(0x1345, 0x1267): major bits 0-11 at 8, the rest at 44; minor
        // bits 0-7 at 0, the rest at 20.
        assertEquals(0x1000_0123_4567L, Posix.makedev(0x1345, 0x1267));
    }

    @Test
    void withoutTheDriverBindingFailsNamingIt() throws IOException {
        Path device = virtioNet();
        Files.createDirectories(sysfs.resolve("drivers"));
        IOException e = assertThrows(IOException.class,
                () -> UioInterrupt.bind(PciDevice.open(device), sysfs.resolve("drivers"), sysfs.resolve("class"), sysfs.resolve("dev")));
        assertTrue(e.getMessage().contains("uio_pci_generic is not loaded"), e.getMessage());
    }

    @Test
    void aDeviceWithoutAUioEntryIsRefusedNamingTheDirectory() throws IOException {
        Path device = virtioNet();
        Files.createDirectories(sysfs.resolve("drivers/uio_pci_generic"));
        IOException e = assertThrows(IOException.class,
                () -> UioInterrupt.bind(PciDevice.open(device), sysfs.resolve("drivers"), sysfs.resolve("class"), sysfs.resolve("dev")));
        assertTrue(e.getMessage().contains("registered no uio device"), e.getMessage());
        assertEquals("uio_pci_generic", Files.readString(device.resolve("driver_override")), "bound by driver_override");
        assertEquals("0000:00:03.0", Files.readString(sysfs.resolve("drivers/uio_pci_generic/bind")));
    }
}
