package dev.jrun.image.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jrun.image.Digest;
import dev.jrun.image.ImageException;
import dev.jrun.image.oci.Descriptor;
import dev.jrun.image.oci.ImageConfig;
import dev.jrun.image.oci.ImageIndex;
import dev.jrun.image.oci.ImageSource;
import dev.jrun.image.oci.Manifest;
import dev.jrun.image.oci.MediaTypes;
import dev.jrun.image.oci.OciLayoutSource;
import dev.jrun.image.oci.Platform;
import dev.jrun.image.progress.Progress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Importing OCI layouts written here into a real store: what lands, and what a bad layout leaves (nothing). */
class ImporterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path tmp;

    /** A layout with one image of the given layers (bytes stored as given; diff_ids of the same bytes). */
    private Path layout(String refName, byte[]... layers) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("layout-" + refName));
        Files.createDirectories(dir.resolve("blobs/sha256"));
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        List<Descriptor> ls = new java.util.ArrayList<>();
        List<String> diffIds = new java.util.ArrayList<>();
        for (byte[] l : layers) {
            ls.add(put(dir, MediaTypes.OCI_LAYER_TAR, l));
            diffIds.add(Digest.sha256(l).toString());
        }
        Descriptor cfg = put(dir, MediaTypes.OCI_CONFIG, JSON.writeValueAsBytes(
                new ImageConfig(null, null, "amd64", "linux", null, null, new ImageConfig.RootFs("layers", diffIds))));
        Descriptor m = put(dir, MediaTypes.OCI_MANIFEST, JSON.writeValueAsBytes(new Manifest(2, MediaTypes.OCI_MANIFEST, cfg, ls, null)));
        ImageIndex index = new ImageIndex(2, MediaTypes.OCI_INDEX, List.of(m.withAnnotations(Map.of(ImageIndex.REF_NAME, refName))), null);
        Files.write(dir.resolve("index.json"), JSON.writeValueAsBytes(index));
        return dir;
    }

    private static Descriptor put(Path layout, String mt, byte[] data) throws IOException {
        Digest d = Digest.sha256(data);
        Files.write(layout.resolve("blobs/sha256/" + d.hex()), data);
        return new Descriptor(mt, d, data.length);
    }

    private static StoredImage importAll(ImageStore store, Path layout, String name) throws IOException {
        try (ImageSource src = OciLayoutSource.open(layout)) {
            ImageSource.Entry e = src.entries().get(0);
            return new Importer(store, Progress.NONE).importImage(src, e, name, Platform.LINUX_AMD64, name);
        }
    }

    @Test
    void anImageLandsWholeAndSharedLayersAreStoredOnce() throws IOException {
        ImageStore store = ImageStore.open(tmp.resolve("data"));
        byte[] base = "base layer".getBytes(), top = "top layer".getBytes();
        StoredImage a = importAll(store, layout("a", base), "localhost/a:1");
        StoredImage b = importAll(store, layout("b", base, top), "localhost/b:1");
        assertTrue(store.blobs().has(Digest.sha256(base)));
        assertEquals(List.of(a.name(), b.name()), store.images().stream().map(StoredImage::name).toList());
        assertEquals(2 + 2 + 2, store.blobs().all().size(), "2 layers + 2 configs + 2 manifests, the base layer once");
        assertEquals(a, store.find("localhost/a:1"));
    }

    @Test
    void aMissingOrCorruptBlobFailsNamingItAndLeavesNothing() throws IOException {
        ImageStore store = ImageStore.open(tmp.resolve("data"));
        byte[] layer = "layer".getBytes();
        Path missing = layout("missing", layer);
        Files.delete(missing.resolve("blobs/sha256/" + Digest.sha256(layer).hex()));
        ImageException e = assertThrows(ImageException.class, () -> importAll(store, missing, "localhost/m:1"));
        assertTrue(e.getMessage().contains(Digest.sha256(layer).toString()) && e.getMessage().contains("missing from the layout"), e.getMessage());

        Path corrupt = layout("corrupt", layer);
        Files.writeString(corrupt.resolve("blobs/sha256/" + Digest.sha256(layer).hex()), "LAYER");
        e = assertThrows(ImageException.class, () -> importAll(store, corrupt, "localhost/c:1"));
        assertTrue(e.getMessage().contains("digest mismatch") && e.getMessage().contains("localhost/c:1"), e.getMessage());

        Path truncated = layout("truncated", layer);
        Files.writeString(truncated.resolve("blobs/sha256/" + Digest.sha256(layer).hex()), "lay");
        e = assertThrows(ImageException.class, () -> importAll(store, truncated, "localhost/t:1"));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());

        assertEquals(List.of(), store.images());
        assertEquals(List.of(), store.blobs().all(), "no blob of a failed import is kept");
        try (Stream<Path> s = Files.list(store.root().resolve("tmp"))) {
            assertEquals(List.of(), s.filter(p -> !p.getFileName().toString().endsWith(".lock")).toList());
        }
    }

    @Test
    void notALayoutIsNamed() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("plain-dir"));
        ImageException e = assertThrows(ImageException.class, () -> OciLayoutSource.open(dir));
        assertTrue(e.getMessage().contains(dir + " is not an OCI image layout"), e.getMessage());
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"2.0.0\"}");
        e = assertThrows(ImageException.class, () -> OciLayoutSource.open(dir));
        assertTrue(e.getMessage().contains("unsupported imageLayoutVersion"), e.getMessage());
    }
}
