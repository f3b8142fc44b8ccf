package dev.jrun.image.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jrun.image.Digest;
import dev.jrun.image.ImageException;
import dev.jrun.image.oci.Descriptor;
import dev.jrun.image.oci.ImageConfig;
import dev.jrun.image.oci.Manifest;
import dev.jrun.image.oci.MediaTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageStoreTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path data;

    /** Stores layers (raw bytes), a config listing their (fake) diff_ids, and a manifest; returns the manifest descriptor. */
    static Descriptor storeImage(ImageStore store, String configLabel, byte[]... layers) throws IOException {
        List<Descriptor> ls = new java.util.ArrayList<>();
        List<String> diffIds = new java.util.ArrayList<>();
        for (byte[] l : layers) {
            Digest d = Digest.sha256(l);
            store.blobs().write(l, d, "layer");
            ls.add(new Descriptor(MediaTypes.OCI_LAYER_GZIP, d, l.length));
            diffIds.add(Digest.sha256(("diff-" + new String(l, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8)).toString());
        }
        ImageConfig cfg = new ImageConfig("2026-01-01T00:00:00Z", configLabel, "amd64", "linux", null, null,
                new ImageConfig.RootFs("layers", diffIds));
        byte[] cfgBytes = JSON.writeValueAsBytes(cfg);
        Digest cd = Digest.sha256(cfgBytes);
        store.blobs().write(cfgBytes, cd, "config");
        Manifest m = new Manifest(2, MediaTypes.OCI_MANIFEST, new Descriptor(MediaTypes.OCI_CONFIG, cd, cfgBytes.length), ls, null);
        byte[] mb = JSON.writeValueAsBytes(m);
        Digest md = Digest.sha256(mb);
        store.blobs().write(mb, md, "manifest");
        return new Descriptor(MediaTypes.OCI_MANIFEST, md, mb.length);
    }

    @Test
    void findsByNameShortNameAndIdPrefix() throws IOException {
        ImageStore store = ImageStore.open(data);
        Descriptor m = storeImage(store, "a", bytes("l1"));
        store.tag("docker.io/library/busybox:latest", m, m.digest());
        StoredImage byName = store.find("busybox");
        assertEquals("docker.io/library/busybox:latest", byName.name());
        String id = store.configDigest(byName).hex();
        assertEquals(byName, store.find(id.substring(0, 8)));
        assertEquals(byName, store.find("sha256:" + id));
        assertEquals(byName, store.find(m.parsedDigest().hex().substring(0, 10)), "a manifest digest prefix finds it too");
        assertNull(store.find("busybox:other"));
        ImageException e = assertThrows(ImageException.class, () -> store.get("nothere"));
        assertTrue(e.getMessage().contains("\"nothere\"") && e.getMessage().contains(data.toString()), e.getMessage());
    }

    @Test
    void retaggingMovesTheName() throws IOException {
        ImageStore store = ImageStore.open(data);
        Descriptor a = storeImage(store, "a", bytes("l1"));
        Descriptor b = storeImage(store, "b", bytes("l2"));
        store.tag("localhost/x:1", a, a.digest());
        store.tag("localhost/x:1", b, b.digest());
        assertEquals(1, store.images().size());
        assertEquals(b.digest(), store.get("localhost/x:1").manifest().digest());
    }

    @Test
    void removeCollectsOnlyWhatNoOtherImageUses() throws IOException {
        ImageStore store = ImageStore.open(data);
        byte[] shared = bytes("shared-layer");
        Descriptor a = storeImage(store, "a", shared, bytes("only-a"));
        Descriptor b = storeImage(store, "b", shared);
        store.tag("localhost/a:1", a, a.digest());
        store.tag("localhost/b:1", b, b.digest());
        store.remove("localhost/a:1");
        assertFalse(store.blobs().has(a.parsedDigest()), "a's manifest is gone");
        assertFalse(store.blobs().has(Digest.sha256(bytes("only-a"))), "a's own layer is gone");
        assertTrue(store.blobs().has(Digest.sha256(shared)), "the layer b shares stays");
        assertTrue(store.blobs().has(b.parsedDigest()));
        assertEquals(List.of("localhost/b:1"), store.images().stream().map(StoredImage::name).toList());
    }

    @Test
    void pruneRemovesDebrisAndUnusedSnapshots() throws IOException {
        ImageStore store = ImageStore.open(data);
        Descriptor a = storeImage(store, "a", bytes("l1"));
        store.tag("localhost/a:1", a, a.digest());
        ImageConfig cfg = store.config(store.manifest(store.get("localhost/a:1")));
        Digest used = Digest.parse(cfg.rootfs().diffIds().get(0));
        Digest unused = Digest.sha256(bytes("gone"));
        Files.createDirectories(store.snapshots().path(used).resolve("etc"));
        Files.createDirectories(store.snapshots().path(unused).resolve("usr/bin"));
        Files.createSymbolicLink(store.snapshots().path(unused).resolve("escape"), Path.of("/"));
        Files.writeString(data.resolve("tmp/blob-123.part"), "half a blob from a crash");
        Files.write(data.resolve("blobs/sha256/" + Digest.sha256(bytes("orphan")).hex()), bytes("orphan"));

        ImageStore.PruneResult r = store.prune();
        assertEquals(List.of(unused), r.snapshots());
        assertEquals(1, r.blobs().size());
        assertTrue(store.snapshots().has(used));
        assertFalse(store.snapshots().has(unused));
        assertTrue(Files.isDirectory(Path.of("/usr/bin")), "the symlink to / was removed, not followed");
        BlobStoreTest.assertEmpty(data.resolve("tmp"));
        assertTrue(store.blobs().has(a.parsedDigest()));
    }

    @Test
    void anUnreadableCatalogIsNamed() throws IOException {
        ImageStore store = ImageStore.open(data);
        Files.writeString(data.resolve("images.json"), "{not json");
        ImageException e = assertThrows(ImageException.class, store::images);
        assertTrue(e.getMessage().contains("images.json"), e.getMessage());
    }

    @Test
    void theDataRootIsPrivate() throws IOException {
        Path root = data.resolve("new-root");
        ImageStore.open(root);
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(root)));
        assertTrue(Files.isDirectory(root.resolve("blobs")) && Files.isDirectory(root.resolve("snapshots")));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
