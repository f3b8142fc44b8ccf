package dev.jrun.image.oci;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jrun.image.Digest;
import dev.jrun.image.ImageException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ManifestResolverTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, byte[]> blobs = new HashMap<>();

    private Descriptor put(String mediaType, Object value, Platform platform) throws IOException {
        byte[] b = JSON.writeValueAsBytes(value);
        Digest d = Digest.sha256(b);
        blobs.put(d.toString(), b);
        return new Descriptor(mediaType, d.toString(), b.length, null, null, platform, null);
    }

    private byte[] read(Descriptor d) {
        byte[] b = blobs.get(d.digest());
        if (b == null) throw new ImageException("no blob " + d.digest());
        return b;
    }

    private Descriptor image(String arch, int layers) throws IOException {
        List<String> diffIds = new java.util.ArrayList<>();
        List<Descriptor> ls = new java.util.ArrayList<>();
        for (int i = 0; i < layers; i++) {
            Digest d = Digest.sha256(("layer" + arch + i).getBytes());
            diffIds.add(d.toString());
            ls.add(new Descriptor(MediaTypes.OCI_LAYER_GZIP, d, 10));
        }
        Descriptor cfg = put(MediaTypes.OCI_CONFIG, new ImageConfig(null, null, arch, "linux", null, null,
                new ImageConfig.RootFs("layers", diffIds)), null);
        return put(MediaTypes.OCI_MANIFEST, new Manifest(2, MediaTypes.OCI_MANIFEST, cfg, ls, null),
                new Platform(arch, "linux", null, null, null));
    }

    private ManifestResolver.Resolved resolve(Descriptor root, Platform p) throws IOException {
        return ManifestResolver.resolve(root, read(root), p, this::read, "test/image");
    }

    @Test
    void anIndexIsNarrowedToThePlatform() throws IOException {
        Descriptor amd = image("amd64", 1), arm = image("arm64", 2);
        Descriptor index = put(MediaTypes.OCI_INDEX, new ImageIndex(2, MediaTypes.OCI_INDEX, List.of(arm, amd), null), null);
        assertEquals(amd.digest(), resolve(index, Platform.LINUX_AMD64).manifestDescriptor().digest());
        ManifestResolver.Resolved r = resolve(index, Platform.parse("linux/arm64"));
        assertEquals(arm.digest(), r.manifestDescriptor().digest());
        assertEquals(2, r.manifest().layers().size());
        ImageException e = assertThrows(ImageException.class, () -> resolve(index, Platform.parse("linux/s390x")));
        assertTrue(e.getMessage().contains("linux/s390x") && e.getMessage().contains("linux/arm64, linux/amd64"), e.getMessage());
    }

    @Test
    void nestedIndexesAndMissingMediaTypesAreFollowed() throws IOException {
        Descriptor amd = image("amd64", 1);
        Descriptor inner = put(null, Map.of("schemaVersion", 2, "manifests", List.of(amd)), null);
        Descriptor outer = put(MediaTypes.DOCKER_MANIFEST_LIST, new ImageIndex(2, MediaTypes.DOCKER_MANIFEST_LIST,
                List.of(new Descriptor(null, inner.digest(), inner.size(), null, null, Platform.LINUX_AMD64, null)), null), null);
        ManifestResolver.Resolved r = resolve(outer, Platform.LINUX_AMD64);
        assertEquals(amd.digest(), r.manifestDescriptor().digest());
        assertEquals(MediaTypes.OCI_MANIFEST, r.manifestDescriptor().mediaType());
    }

    @Test
    void aSinglePlatformImageForAnotherArchitectureIsRefused() throws IOException {
        Descriptor arm = image("arm64", 1);
        ImageException e = assertThrows(ImageException.class, () -> resolve(arm, Platform.LINUX_AMD64));
        assertTrue(e.getMessage().contains("linux/arm64, not linux/amd64"), e.getMessage());
    }

    @Test
    void unknownMediaTypesAndBrokenContentAreNamed() throws IOException {
        Descriptor odd = put("application/vnd.example.thing+json", Map.of("a", 1), null);
        ImageException e = assertThrows(ImageException.class, () -> resolve(odd, Platform.LINUX_AMD64));
        assertTrue(e.getMessage().contains("unknown media type \"application/vnd.example.thing+json\""), e.getMessage());

        Descriptor cfg = put("application/vnd.example.helm.config+json", Map.of(), null);
        Descriptor artifact = put(MediaTypes.OCI_MANIFEST, new Manifest(2, MediaTypes.OCI_MANIFEST, cfg, List.of(), null), null);
        e = assertThrows(ImageException.class, () -> resolve(artifact, Platform.LINUX_AMD64));
        assertTrue(e.getMessage().contains("not a container image"), e.getMessage());

        Descriptor c2 = put(MediaTypes.OCI_CONFIG, new ImageConfig(null, null, "amd64", "linux", null, null,
                new ImageConfig.RootFs("layers", List.of())), null);
        Descriptor badLayer = put(MediaTypes.OCI_MANIFEST, new Manifest(2, MediaTypes.OCI_MANIFEST, c2,
                List.of(new Descriptor("application/x-tar-lz4", Digest.sha256(new byte[1]), 1)), null), null);
        e = assertThrows(ImageException.class, () -> resolve(badLayer, Platform.LINUX_AMD64));
        assertTrue(e.getMessage().contains("unknown layer media type \"application/x-tar-lz4\""), e.getMessage());

        byte[] junk = "{not json".getBytes();
        Digest jd = Digest.sha256(junk);
        blobs.put(jd.toString(), junk);
        Descriptor j = new Descriptor(MediaTypes.OCI_MANIFEST, jd, junk.length);
        e = assertThrows(ImageException.class, () -> resolve(j, Platform.LINUX_AMD64));
        assertTrue(e.getMessage().contains("test/image") && e.getMessage().contains(jd.toString()), e.getMessage());
    }

    @Test
    void diffIdsMustMatchTheLayers() throws IOException {
        Descriptor cfg = put(MediaTypes.OCI_CONFIG, new ImageConfig(null, null, "amd64", "linux", null, null,
                new ImageConfig.RootFs("layers", List.of())), null);
        Descriptor m = put(MediaTypes.OCI_MANIFEST, new Manifest(2, MediaTypes.OCI_MANIFEST, cfg,
                List.of(new Descriptor(MediaTypes.OCI_LAYER_TAR, Digest.sha256(new byte[1]), 1)), null), null);
        ImageException e = assertThrows(ImageException.class, () -> resolve(m, Platform.LINUX_AMD64));
        assertTrue(e.getMessage().contains("0 diff_ids for 1 layers"), e.getMessage());
    }
}
