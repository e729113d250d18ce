package dev.libos.maven.format;

import dev.libos.maven.image.DeterministicGzip;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;

/**
 * A KubeVirt containerDisk ("containerDisk" volumes in KubeVirt's user guide): a container image
 * whose only content is the VM disk under {@code /disk/}, owned by 107:107 (the qemu user of
 * KubeVirt's launcher pod), written as an OCI image layout in a tar (OCI image-spec 1.1
 * "image-layout": {@code oci-layout}, {@code index.json}, {@code blobs/sha256/<digest>}), the form
 * {@code skopeo copy oci-archive:...} and {@code podman load} take. One gzip layer; the config
 * says linux/amd64 and has no creation time, so equal disks give equal archives.
 */
public final class ContainerDisk {
    /** KubeVirt's qemu user and group. */
    public static final int QEMU_UID = 107;
    static final String LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip";
    static final String CONFIG_TYPE = "application/vnd.oci.image.config.v1+json";
    static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
    static final String INDEX_TYPE = "application/vnd.oci.image.index.v1+json";

    private ContainerDisk() {
    }

    /** A blob: its digest and size. */
    record Blob(String digest, long size) {
        String hex() {
            return digest.substring("sha256:".length());
        }

        String descriptor(String mediaType) {
            return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
        }
    }

    /**
     * Writes the archive.
     *
     * @param qcow2    the disk, put in the layer as {@code disk/<diskName>}
     * @param diskName the disk file's name in the image (e.g. {@code hello.qcow2})
     * @param tag      the reference name recorded in index.json (org.opencontainers.image.ref.name)
     * @param out      the archive (replaced)
     */
    public static void write(Path qcow2, String diskName, String tag, Path out) throws IOException {
        if (!diskName.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException("containerDisk file name must be letters, digits, '.', '_' or '-': " + diskName);
        }
        Path layer = out.resolveSibling(out.getFileName() + ".layer.tmp");
        try {
            MessageDigest diffId = RawDisk.sha256();
            MessageDigest layerDigest = RawDisk.sha256();
            try (OutputStream file = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(layer), 1 << 20), layerDigest);
                 DeterministicGzip gzip = new DeterministicGzip(file, 6);
                 TarWriter tar = new TarWriter(new DigestOutputStream(gzip, diffId), TarWriter.Flavor.USTAR)) {
                tar.directory("disk/", 0755, QEMU_UID, QEMU_UID);
                tar.file("disk/" + diskName, 0644, QEMU_UID, QEMU_UID, qcow2);
            }
            Blob layerBlob = new Blob("sha256:" + OvaWriter.hex(layerDigest.digest()), Files.size(layer));
            byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},"
                    + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:" + OvaWriter.hex(diffId.digest()) + "\"]},"
                    + "\"history\":[{\"created_by\":\"libos image goal: KubeVirt containerDisk\"}]}")
                    .getBytes(StandardCharsets.UTF_8);
            Blob configBlob = blob(config);
            byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST_TYPE + "\",\"config\":"
                    + configBlob.descriptor(CONFIG_TYPE) + ",\"layers\":[" + layerBlob.descriptor(LAYER_TYPE) + "]}")
                    .getBytes(StandardCharsets.UTF_8);
            Blob manifestBlob = blob(manifest);
            byte[] index = ("{\"schemaVersion\":2,\"mediaType\":\"" + INDEX_TYPE + "\",\"manifests\":[{\"mediaType\":\""
                    + MANIFEST_TYPE + "\",\"digest\":\"" + manifestBlob.digest() + "\",\"size\":" + manifestBlob.size()
                    + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"" + jsonSafe(tag) + "\"}}]}")
                    .getBytes(StandardCharsets.UTF_8);
            try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(out), 1 << 20);
                 TarWriter tar = new TarWriter(file, TarWriter.Flavor.USTAR)) {
                tar.file("oci-layout", 0644, 0, 0, "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.US_ASCII));
                tar.file("index.json", 0644, 0, 0, index);
                tar.directory("blobs/", 0755, 0, 0);
                tar.directory("blobs/sha256/", 0755, 0, 0);
                tar.file("blobs/sha256/" + configBlob.hex(), 0644, 0, 0, config);
                tar.file("blobs/sha256/" + manifestBlob.hex(), 0644, 0, 0, manifest);
                tar.file("blobs/sha256/" + layerBlob.hex(), 0644, 0, 0, layer);
            }
        } finally {
            Files.deleteIfExists(layer);
        }
    }

    private static Blob blob(byte[] content) {
        return new Blob("sha256:" + OvaWriter.hex(RawDisk.sha256().digest(content)), content.length);
    }

    private static String jsonSafe(String value) {
        if (!value.matches("[A-Za-z0-9._:/@-]{1,255}")) {
            throw new IllegalArgumentException("containerDisk image reference must be 1-255 of letters, digits and ._:/@-: " + value);
        }
        return value;
    }
}
