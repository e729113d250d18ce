package dev.libos.maven.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The archive formats (OVA, GCE, containerDisk) read back entry by entry, and with skopeo when installed. */
class ArchiveFormatsTest {
    @TempDir
    Path dir;
    Path raw;
    long seed;

    @BeforeEach
    void disk() throws Exception {
        seed = TestDisks.seed("archives");
        raw = TestDisks.sparse(dir.resolve("disk.raw"), new Random(seed), 20_000 + new Random(seed).nextInt(4000), 6);
    }

    @Test
    void theOvaHoldsTheOvfThenTheVmdkThenAManifestOfBoth() throws Exception {
        Path ova = dir.resolve("hello.ova");
        OvaWriter.write(raw, ova, new OvaWriter.Machine("hello", 2, 512));
        List<TarEntries.Entry> entries = TarEntries.read(Files.newInputStream(ova));
        assertEquals(List.of("hello.ovf", "hello-disk1.vmdk", "hello.mf"), entries.stream().map(TarEntries.Entry::name).toList());
        String ovf = new String(entries.get(0).content(), StandardCharsets.UTF_8);
        for (String required : List.of("<rasd:ResourceSubType>VmxNet3</rasd:ResourceSubType>",
                "vmw:key=\"firmware\" vmw:value=\"efi\"", "<vssd:VirtualSystemType>vmx-14</vssd:VirtualSystemType>",
                "ovf:capacity=\"" + Files.size(raw) + "\"", "ovf:size=\"" + entries.get(1).content().length + "\"",
                "vmdk.html#streamOptimized", "<rasd:VirtualQuantity>512</rasd:VirtualQuantity>")) {
            assertTrue(ovf.contains(required), "OVF lacks " + required);
        }
        javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(entries.get(0).content()));
        String manifest = new String(entries.get(2).content(), StandardCharsets.US_ASCII);
        assertEquals("SHA256(hello.ovf)= " + sha(entries.get(0).content()) + "\nSHA256(hello-disk1.vmdk)= "
                + sha(entries.get(1).content()) + "\n", manifest);
        Path vmdk = dir.resolve("alone.vmdk");
        VmdkStreamWriter.write(raw, vmdk, "hello-disk1.vmdk");
        assertArrayEquals(Files.readAllBytes(vmdk), entries.get(1).content(), "the OVA's VMDK is the stream-optimized writer's");
        Path again = dir.resolve("again.ova");
        OvaWriter.write(raw, again, new OvaWriter.Machine("hello", 2, 512));
        assertArrayEquals(Files.readAllBytes(ova), Files.readAllBytes(again));
    }

    @Test
    void gceGetsDiskRawAloneInAnOldGnuTarGzWithZeroTimes() throws Exception {
        Path tarball = dir.resolve("gce.tar.gz");
        GceArchive.write(raw, tarball);
        byte[] gz = Files.readAllBytes(tarball);
        assertEquals(0, gz[4] | gz[5] | gz[6] | gz[7], "gzip header mtime");
        List<TarEntries.Entry> entries = TarEntries.read(new GZIPInputStream(new ByteArrayInputStream(gz)));
        assertEquals(1, entries.size());
        assertEquals("disk.raw", entries.get(0).name());
        assertEquals("ustar  \0", entries.get(0).magic(), "GNU tar --format=oldgnu magic");
        assertEquals('S', entries.get(0).type(), "sparse, as tar -S writes it");
        assertArrayEquals(Files.readAllBytes(raw), entries.get(0).content());
        Path gnuTar = dev.libos.maven.qemu.QemuCommand.find("tar");
        if (gnuTar != null && TestDisks.run(gnuTar.toString(), "--version").contains("GNU tar")) {
            Path extracted = Files.createDirectories(dir.resolve("gnu"));
            TestDisks.run(gnuTar.toString(), "-xzf", tarball.toString(), "-C", extracted.toString());
            assertArrayEquals(Files.readAllBytes(raw), Files.readAllBytes(extracted.resolve("disk.raw")), "GNU tar's reading");
        }
        Path again = dir.resolve("again.tar.gz");
        GceArchive.write(raw, again);
        assertArrayEquals(gz, Files.readAllBytes(again));
    }

    @Test
    void aSparseMapLongerThanTheHeaderGoesOnInExtensionBlocks() throws Exception {
        Path striped = dir.resolve("striped.raw");
        byte[] disk = new byte[130 << 16]; // 65 runs of data, every other 64 KiB chunk: map of 65 + trailing hole
        for (int chunk = 0; chunk < 130; chunk += 2) {
            disk[(chunk << 16) + chunk] = (byte) (chunk + 1);
        }
        Files.write(striped, disk);
        Path tarball = dir.resolve("striped.tar.gz");
        GceArchive.write(striped, tarball);
        List<TarEntries.Entry> entries = TarEntries.read(new GZIPInputStream(Files.newInputStream(tarball)));
        assertArrayEquals(disk, entries.get(0).content());
    }

    @Test
    void theContainerDiskIsAnOciLayoutWithOneQcow2UnderDiskOwnedByQemu() throws Exception {
        Path qcow2 = dir.resolve("hello.qcow2");
        Qcow2Writer.write(raw, qcow2);
        Path archive = dir.resolve("hello-containerdisk.tar");
        ContainerDisk.write(qcow2, "hello.qcow2", "registry.example/hello:1.0", archive);
        List<TarEntries.Entry> entries = TarEntries.read(Files.newInputStream(archive));
        assertEquals("oci-layout", entries.get(0).name());
        String index = text(entries, "index.json");
        String manifest = text(entries, blobOf(index, "manifest"));
        assertTrue(index.contains("\"org.opencontainers.image.ref.name\":\"registry.example/hello:1.0\""), index);
        String config = text(entries, blobOf(manifest, "config"));
        assertTrue(config.contains("\"architecture\":\"amd64\"") && config.contains("\"os\":\"linux\""), config);
        byte[] layer = entry(entries, blobOf(manifest, "layer")).content();
        for (TarEntries.Entry blob : entries) {
            if (blob.name().startsWith("blobs/sha256/") && blob.type() == '0') {
                assertEquals(blob.name().substring("blobs/sha256/".length()), sha(blob.content()), "digest of " + blob.name());
            }
        }
        byte[] layerTar = new GZIPInputStream(new ByteArrayInputStream(layer)).readAllBytes();
        assertTrue(config.contains("sha256:" + sha(layerTar)), "diff_id is the uncompressed layer's digest");
        List<TarEntries.Entry> files = TarEntries.read(new ByteArrayInputStream(layerTar)).stream()
                .filter(e -> e.type() == '0').toList();
        assertEquals(1, files.size(), "exactly one file in the layer");
        TarEntries.Entry disk = files.get(0);
        assertEquals("disk/hello.qcow2", disk.name());
        assertEquals(107, disk.uid());
        assertEquals(107, disk.gid());
        assertArrayEquals(Files.readAllBytes(qcow2), disk.content());

        Path skopeo = dev.libos.maven.qemu.QemuCommand.find("skopeo");
        assumeTrue(skopeo != null, "skopeo not installed");
        String inspect = TestDisks.run(skopeo.toString(), "inspect", "oci-archive:" + archive);
        assertTrue(inspect.contains("\"Architecture\": \"amd64\"") && inspect.contains("\"Os\": \"linux\""), inspect);
    }

    @Test
    void theVirtualMachineManifestBootsTheImageThroughUefi() {
        String yaml = KubeVirtManifest.yaml("Hello_App", "registry.example/hello:1.0", 2, 512);
        for (String line : List.of("kind: VirtualMachine", "  name: hello-app", "image: registry.example/hello:1.0",
                "secureBoot: false", "memory: 512Mi", "cores: 2", "bus: virtio", "model: virtio")) {
            assertTrue(yaml.contains(line), "manifest lacks " + line + ":\n" + yaml);
        }
    }

    @Test
    void firecrackerGetsTheKernelInitramfsVolumesAndVirtioMmioWordsBeforeTheJvmsArguments() {
        String json = FirecrackerConfig.json("vmlinuz", "initramfs.img", "console=ttyS0 rdinit=/jvm/bin/java -- -cp /app x.Boot",
                2, 512, List.of(new FirecrackerConfig.Drive("files", "files.img", true), new FirecrackerConfig.Drive("state", "state.img", false)));
        assertTrue(json.contains("\"boot_args\": \"reboot=k pci=off virtio_mmio.device=4K@0xd0000000:5 "
                + "virtio_mmio.device=4K@0xd0001000:6 virtio_mmio.device=4K@0xd0002000:7 console=ttyS0 rdinit=/jvm/bin/java -- -cp /app x.Boot\""), json);
        assertTrue(json.contains("{\"drive_id\": \"files\", \"path_on_host\": \"files.img\", \"is_root_device\": false, \"is_read_only\": true}"), json);
        assertTrue(json.contains("\"kernel_image_path\": \"vmlinuz\"") && json.contains("\"initrd_path\": \"initramfs.img\""), json);
        assertTrue(json.contains("\"vcpu_count\": 2, \"mem_size_mib\": 512") && json.contains("\"host_dev_name\": \"tap0\""), json);
    }

    private static String sha(byte[] bytes) {
        return OvaWriter.hex(RawDisk.sha256().digest(bytes));
    }

    private static String blobOf(String json, String what) {
        Pattern digest = Pattern.compile("\"digest\":\"sha256:([0-9a-f]{64})\"");
        var m = digest.matcher(json);
        int wanted = what.equals("layer") ? 1 : 0; // a manifest lists its config first, then the layer
        for (int i = 0; i <= wanted; i++) {
            assertTrue(m.find(), "no " + what + " digest in " + json);
        }
        return "blobs/sha256/" + m.group(1);
    }

    private static TarEntries.Entry entry(List<TarEntries.Entry> entries, String name) {
        return entries.stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError("no " + name));
    }

    private static String text(List<TarEntries.Entry> entries, String name) {
        return new String(entry(entries, name).content(), StandardCharsets.UTF_8);
    }
}
