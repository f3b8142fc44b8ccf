package dev.jrun.image.oci;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jrun.image.Digest;
import dev.jrun.image.ImageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docker-archive tarballs in docker's old layout (HEX/layer.tar), packed by GNU tar. */
class DockerArchiveSourceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path tmp;

    private Path archive(String manifestJson, boolean withLayer) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("content"));
        Files.writeString(dir.resolve("cfg.json"), "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}");
        if (withLayer) {
            Files.createDirectories(dir.resolve("0123"));
            Files.write(dir.resolve("0123/layer.tar"), gzip("not really a tar".getBytes()));
        }
        Files.writeString(dir.resolve("manifest.json"), manifestJson);
        Path out = tmp.resolve("image.tar");
        Process p = new ProcessBuilder("tar", "-C", dir.toString(), "-cf", out.toString(), ".").inheritIO().start();
        assertEquals(0, p.waitFor());
        return out;
    }

    @Test
    void manifestJsonBecomesAnOciManifestPerRepoTag() throws Exception {
        Path a = archive("[{\"Config\":\"cfg.json\",\"RepoTags\":[\"busybox:latest\",\"example.com/bb:1\"],\"Layers\":[\"0123/layer.tar\"]}]", true);
        try (DockerArchiveSource s = DockerArchiveSource.open(a)) {
            List<ImageSource.Entry> e = s.entries();
            assertEquals(List.of("busybox:latest", "example.com/bb:1"), e.stream().map(ImageSource.Entry::name).toList());
            Descriptor md = e.get(0).descriptor();
            byte[] mb;
            try (InputStream in = s.open(md)) {
                mb = in.readAllBytes();
            }
            assertEquals(Digest.sha256(mb).toString(), md.digest());
            Manifest m = JSON.readValue(mb, Manifest.class);
            assertEquals(MediaTypes.OCI_LAYER_GZIP, m.layers().get(0).mediaType(), "compression told by the layer's first bytes");
            byte[] layer;
            try (InputStream in = s.open(m.layers().get(0))) {
                layer = in.readAllBytes();
            }
            assertArrayEquals(gzip("not really a tar".getBytes()), layer);
            assertEquals(m.layers().get(0).digest(), Digest.sha256(layer).toString());
            assertEquals(Digest.sha256(Files.readAllBytes(tmp.resolve("content/cfg.json"))).toString(), m.config().digest(),
                    "the image id is the config's digest, as docker made it");
        }
    }

    @Test
    void untaggedImagesHaveNoName() throws Exception {
        Path a = archive("[{\"Config\":\"cfg.json\",\"Layers\":[]}]", false);
        try (DockerArchiveSource s = DockerArchiveSource.open(a)) {
            assertNull(s.entries().get(0).name());
        }
    }

    @Test
    void brokenArchivesAreNamed() throws Exception {
        Path missingLayer = archive("[{\"Config\":\"cfg.json\",\"Layers\":[\"nosuch/layer.tar\"]}]", false);
        ImageException e = assertThrows(ImageException.class, () -> DockerArchiveSource.open(missingLayer));
        assertTrue(e.getMessage().contains("nosuch/layer.tar, which the archive does not hold"), e.getMessage());

        Path notTar = Files.writeString(tmp.resolve("notes.txt"), "x".repeat(2000));
        e = assertThrows(ImageException.class, () -> DockerArchiveSource.open(notTar));
        assertTrue(e.getMessage().contains("is not a docker-archive tarball"), e.getMessage());

        Path noManifest = tmp.resolve("empty.tar");
        Files.createDirectories(tmp.resolve("emptydir"));
        Files.writeString(tmp.resolve("emptydir/x"), "x");
        assertEquals(0, new ProcessBuilder("tar", "-C", tmp.resolve("emptydir").toString(), "-cf", noManifest.toString(), "x").start().waitFor());
        e = assertThrows(ImageException.class, () -> DockerArchiveSource.open(noManifest));
        assertTrue(e.getMessage().contains("has no manifest.json"), e.getMessage());
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(b)) {
            g.write(data);
        }
        return b.toByteArray();
    }
}
