package dev.jrun.cli.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Edits a copy of a single-image OCI layout the way a hostile or broken publisher would: adds
 * a layer (a tar made here, entry by entry) and rewrites config, manifest and index.json with
 * correct digests, or corrupts a blob in place.
 */
final class LayoutEditor {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path layout;

    LayoutEditor(Path layout) {
        this.layout = layout;
    }

    /** Appends an uncompressed tar layer with these entries. */
    void addLayer(Tar tar) {
        try {
            byte[] layer = tar.bytes();
            String layerDigest = put(layer);
            ObjectNode index = (ObjectNode) JSON.readTree(layout.resolve("index.json").toFile());
            ObjectNode mdesc = (ObjectNode) index.withArray("manifests").get(0);
            ObjectNode manifest = (ObjectNode) JSON.readTree(blob(mdesc.get("digest").asText()));
            ObjectNode cdesc = (ObjectNode) manifest.get("config");
            ObjectNode config = (ObjectNode) JSON.readTree(blob(cdesc.get("digest").asText()));
            ((ArrayNode) config.withObject("/rootfs").withArray("diff_ids")).add(layerDigest);
            byte[] cb = JSON.writeValueAsBytes(config);
            cdesc.put("digest", put(cb)).put("size", cb.length);
            ObjectNode l = manifest.withArray("layers").addObject();
            l.put("mediaType", "application/vnd.oci.image.layer.v1.tar").put("digest", layerDigest).put("size", layer.length);
            byte[] mb = JSON.writeValueAsBytes(manifest);
            mdesc.put("digest", put(mb)).put("size", mb.length);
            Files.write(layout.resolve("index.json"), JSON.writeValueAsBytes(index));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Flips one byte in the middle of the first layer's blob (its digest no longer matches). */
    String corruptFirstLayer() {
        try {
            JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
            JsonNode manifest = JSON.readTree(blob(index.get("manifests").get(0).get("digest").asText()));
            String digest = manifest.get("layers").get(0).get("digest").asText();
            Path p = layout.resolve("blobs/sha256/" + digest.substring(7));
            byte[] b = Files.readAllBytes(p);
            b[b.length / 2] ^= 0x55;
            Files.write(p, b);
            return digest;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] blob(String digest) throws IOException {
        return Files.readAllBytes(layout.resolve("blobs/sha256/" + digest.substring(7)));
    }

    private String put(byte[] data) throws IOException {
        try {
            String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
            Files.write(layout.resolve("blobs/sha256/" + hex), data);
            return "sha256:" + hex;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A ustar archive built entry by entry (names up to 100 bytes: enough for hostile tests). */
    static final class Tar {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Tar file(String name, String content) {
            byte[] data = content.getBytes(StandardCharsets.UTF_8);
            header(name, '0', data.length, "", 0644);
            out.writeBytes(data);
            out.writeBytes(new byte[(512 - data.length % 512) % 512]);
            return this;
        }

        Tar symlink(String name, String target) {
            header(name, '2', 0, target, 0777);
            return this;
        }

        Tar dir(String name) {
            header(name, '5', 0, "", 0755);
            return this;
        }

        byte[] bytes() {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.writeBytes(out.toByteArray());
            b.writeBytes(new byte[1024]);
            return b.toByteArray();
        }

        private void header(String name, char type, long size, String link, int mode) {
            byte[] h = new byte[512];
            put(h, 0, 100, name);
            put(h, 100, 8, String.format("%07o", mode));
            put(h, 108, 8, "0000000");
            put(h, 116, 8, "0000000");
            put(h, 124, 12, String.format("%011o", size));
            put(h, 136, 12, "00000000000");
            for (int i = 148; i < 156; i++) h[i] = ' ';
            h[156] = (byte) type;
            put(h, 157, 100, link);
            put(h, 257, 6, "ustar");
            put(h, 263, 2, "00");
            long sum = 0;
            for (byte x : h) sum += x & 0xff;
            put(h, 148, 8, String.format("%06o", sum) + "\0 ");
            out.writeBytes(h);
        }

        private static void put(byte[] h, int off, int len, String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            if (b.length > len) throw new IllegalArgumentException(s);
            System.arraycopy(b, 0, h, off, b.length);
        }
    }
}
