package dev.jrun.image.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jrun.image.Digest;
import dev.jrun.image.oci.Descriptor;
import dev.jrun.image.oci.MediaTypes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * OCI image layouts written by the tests themselves, byte for byte known: a gzip layer holding
 * one file of seeded random bytes (incompressible, so the blob is as big as asked), a config
 * listing its diff_id, a manifest, and for two platforms an index. skopeo pushes them.
 */
final class TestLayout {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Blob(String mediaType, byte[] bytes) {
        Digest digest() {
            return Digest.sha256(bytes);
        }

        Descriptor descriptor() {
            return new Descriptor(mediaType, digest(), bytes.length);
        }
    }

    /** One platform's image. */
    record Image(Blob manifest, Blob config, List<Blob> layers) {
        Blob layer() {
            return layers.get(0);
        }
    }

    /** A layout: its folder, its images, and the index over them when there are several. */
    record Layout(Path dir, List<Image> images, Blob index) {
        Image image() {
            return images.get(0);
        }

        /** The root the layout's "latest" names: the index, or the single manifest. */
        Blob root() {
            return index != null ? index : image().manifest();
        }

        /** Every blob by digest, for a fake blob store in front of the registry. */
        Map<String, byte[]> blobs() {
            Map<String, byte[]> m = new LinkedHashMap<>();
            for (Image i : images) {
                m.put(i.manifest().digest().toString(), i.manifest().bytes());
                m.put(i.config().digest().toString(), i.config().bytes());
                for (Blob l : i.layers()) m.put(l.digest().toString(), l.bytes());
            }
            if (index != null) m.put(index.digest().toString(), index.bytes());
            return m;
        }
    }

    private TestLayout() {}

    /** A single-platform (linux/amd64) image with one layer of about {@code layerBytes} bytes. */
    static Layout single(Path dir, String seed, int layerBytes) throws IOException {
        Image img = image(seed, "amd64", layerBytes);
        write(dir, List.of(img), img.manifest());
        return new Layout(dir, List.of(img), null);
    }

    /** linux/amd64 and linux/arm64 images under one index. */
    static Layout multiPlatform(Path dir, String seed) throws IOException {
        List<Image> imgs = List.of(image(seed + "-amd64", "amd64", 4096), image(seed + "-arm64", "arm64", 4096));
        List<Map<String, Object>> manifests = new ArrayList<>();
        for (Image i : imgs) {
            Map<String, Object> d = descriptor(i.manifest());
            d.put("platform", Map.of("architecture", architecture(i), "os", "linux"));
            manifests.add(d);
        }
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaTypes.OCI_INDEX);
        index.put("manifests", manifests);
        Blob idx = new Blob(MediaTypes.OCI_INDEX, JSON.writeValueAsBytes(index));
        write(dir, imgs, idx);
        return new Layout(dir, imgs, idx);
    }

    private static String architecture(Image i) throws IOException {
        return JSON.readTree(i.config().bytes()).path("architecture").asText();
    }

    private static Image image(String seed, String arch, int layerBytes) throws IOException {
        byte[] content = new byte[layerBytes];
        new Random(seed.hashCode()).nextBytes(content);
        byte[] tar = tar("data-" + seed + ".bin", content);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(tar);
        }
        Blob layer = new Blob(MediaTypes.OCI_LAYER_GZIP, gz.toByteArray());

        Map<String, Object> config = new LinkedHashMap<>();
        config.put("architecture", arch);
        config.put("os", "linux");
        config.put("config", Map.of("Cmd", List.of("/bin/true"), "Labels", Map.of("seed", seed)));
        config.put("rootfs", Map.of("type", "layers", "diff_ids", List.of(Digest.sha256(tar).toString())));
        Blob cfg = new Blob(MediaTypes.OCI_CONFIG, JSON.writeValueAsBytes(config));

        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
        manifest.put("config", descriptor(cfg));
        manifest.put("layers", List.of(descriptor(layer)));
        Blob m = new Blob(MediaTypes.OCI_MANIFEST, JSON.writeValueAsBytes(manifest));
        return new Image(m, cfg, List.of(layer));
    }

    private static Map<String, Object> descriptor(Blob b) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("mediaType", b.mediaType());
        d.put("digest", b.digest().toString());
        d.put("size", b.bytes().length);
        return d;
    }

    private static void write(Path dir, List<Image> images, Blob root) throws IOException {
        Path blobs = Files.createDirectories(dir.resolve("blobs").resolve("sha256"));
        List<Blob> all = new ArrayList<>();
        for (Image i : images) {
            all.add(i.manifest());
            all.add(i.config());
            all.addAll(i.layers());
        }
        all.add(root);
        for (Blob b : all) Files.write(blobs.resolve(b.digest().hex()), b.bytes());
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Map<String, Object> ref = descriptor(root);
        ref.put("annotations", Map.of("org.opencontainers.image.ref.name", "latest"));
        Files.write(dir.resolve("index.json"), JSON.writeValueAsBytes(Map.of("schemaVersion", 2, "manifests", List.of(ref))));
    }

    /** A ustar archive with one regular file, owned by 0:0, mtime 0. */
    static byte[] tar(String name, byte[] content) {
        byte[] h = new byte[512];
        put(h, 0, name);
        put(h, 100, "0000644");
        put(h, 108, "0000000");
        put(h, 116, "0000000");
        put(h, 124, String.format("%011o", content.length));
        put(h, 136, "00000000000");
        h[156] = '0';
        put(h, 257, "ustar");
        put(h, 263, "00");
        for (int i = 148; i < 156; i++) h[i] = ' ';
        int sum = 0;
        for (byte b : h) sum += b & 0xff;
        put(h, 148, String.format("%06o", sum));
        h[154] = 0;
        int padded = (content.length + 511) / 512 * 512;
        byte[] out = new byte[512 + padded + 1024];
        System.arraycopy(h, 0, out, 0, 512);
        System.arraycopy(content, 0, out, 512, content.length);
        return out;
    }

    private static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, b.length);
    }
}
