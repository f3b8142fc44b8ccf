package dev.jrun.image.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.jrun.image.Digest;
import dev.jrun.image.ImageException;
import dev.jrun.image.ImageJson;
import dev.jrun.image.layer.Decompression;
import dev.jrun.image.layer.TarIndex;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A docker-archive tarball (`docker save`, `skopeo copy ... docker-archive:`): manifest.json
 * lists each image's config file, layer files and RepoTags. The archive is indexed once (member
 * name → offset and size) and never extracted, so member names are only lookup keys and cannot
 * point anywhere. Docker archives carry no registry manifest, so one is made here: an OCI
 * manifest whose config and layer digests are computed from the members (a layer's media type
 * from its first bytes); the image id, the config digest, is the one docker gave it.
 */
public final class DockerArchiveSource implements ImageSource {

    private final Path file;
    private final Map<String, TarIndex.Member> members;
    /** Content by digest: the members this source serves, and the manifests made here. */
    private final Map<String, TarIndex.Member> blobs = new HashMap<>();
    private final Map<String, byte[]> made = new HashMap<>();
    private final List<Entry> entries = new ArrayList<>();

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ArchiveImage(@JsonProperty("Config") String config, @JsonProperty("RepoTags") List<String> repoTags,
                        @JsonProperty("Layers") List<String> layers) {}

    private DockerArchiveSource(Path file, Map<String, TarIndex.Member> members) {
        this.file = file;
        this.members = members;
    }

    public static DockerArchiveSource open(Path file) throws IOException {
        Map<String, TarIndex.Member> members;
        try (InputStream in = Files.newInputStream(file)) {
            members = TarIndex.of(in);
        } catch (NoSuchFileException e) {
            throw new ImageException(file + " does not exist");
        } catch (ImageException e) {
            throw new ImageException(file + " is not a docker-archive tarball: " + e.getMessage(), e);
        }
        DockerArchiveSource s = new DockerArchiveSource(file, members);
        s.load();
        return s;
    }

    private void load() throws IOException {
        TarIndex.Member m = members.get("manifest.json");
        if (m == null) throw new ImageException(file + " is not a docker-archive tarball: it has no manifest.json");
        List<ArchiveImage> images;
        try {
            images = ImageJson.MAPPER.readValue(read(m), new TypeReference<List<ArchiveImage>>() {});
        } catch (IOException e) {
            throw new ImageException(file + ": manifest.json is not valid: " + e.getMessage(), e);
        }
        for (ArchiveImage img : images) {
            if (img.config() == null || img.layers() == null)
                throw new ImageException(file + ": a manifest.json entry has no Config or no Layers");
            byte[] config = read(member(img.config()));
            Descriptor cfg = new Descriptor(MediaTypes.OCI_CONFIG, Digest.sha256(config), config.length);
            blobs.put(cfg.digest(), member(img.config()));
            List<Descriptor> layers = new ArrayList<>();
            for (String l : img.layers()) layers.add(layer(member(l)));
            byte[] manifest = ImageJson.MAPPER.writeValueAsBytes(new Manifest(2, MediaTypes.OCI_MANIFEST, cfg, layers, null));
            Descriptor md = new Descriptor(MediaTypes.OCI_MANIFEST, Digest.sha256(manifest), manifest.length);
            made.put(md.digest(), manifest);
            if (img.repoTags() == null || img.repoTags().isEmpty()) entries.add(new Entry(null, md));
            else for (String tag : img.repoTags()) entries.add(new Entry(tag, md));
        }
    }

    /** A layer member's descriptor: its sha256 (computed: old archives name layers by v1 ids) and compression. */
    private Descriptor layer(TarIndex.Member m) throws IOException {
        MessageDigest md = Digest.newSha256();
        byte[] head = new byte[4];
        int headLen = 0;
        try (InputStream in = stream(m)) {
            byte[] buf = new byte[1 << 20];
            int n;
            while ((n = in.read(buf)) > 0) {
                if (headLen < 4) {
                    int k = Math.min(4 - headLen, n);
                    System.arraycopy(buf, 0, head, headLen, k);
                    headLen += k;
                }
                md.update(buf, 0, n);
            }
        }
        String mt = switch (Decompression.detect(java.util.Arrays.copyOf(head, headLen))) {
            case GZIP -> MediaTypes.OCI_LAYER_GZIP;
            case ZSTD -> MediaTypes.OCI_LAYER_ZSTD;
            case NONE -> MediaTypes.OCI_LAYER_TAR;
        };
        Descriptor d = new Descriptor(mt, Digest.of(md), m.size());
        blobs.put(d.digest(), m);
        return d;
    }

    private TarIndex.Member member(String name) {
        String n = name.startsWith("./") ? name.substring(2) : name;
        TarIndex.Member m = members.get(n);
        if (m == null) throw new ImageException(file + ": manifest.json names " + name + ", which the archive does not hold");
        return m;
    }

    private byte[] read(TarIndex.Member m) throws IOException {
        if (m.size() > 16 << 20) throw new ImageException(file + ": " + m.name() + " is " + m.size() + " bytes, too large for a manifest or config");
        try (InputStream in = stream(m)) {
            return in.readAllBytes();
        }
    }

    private InputStream stream(TarIndex.Member m) throws IOException {
        FileInputStream in = new FileInputStream(file.toFile());
        try {
            in.getChannel().position(m.offset());
            return new BoundedInputStream(in, m.size());
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    @Override
    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    @Override
    public InputStream open(Descriptor d) throws IOException {
        byte[] m = made.get(d.digest());
        if (m != null) return new java.io.ByteArrayInputStream(m);
        TarIndex.Member member = blobs.get(d.digest());
        if (member == null) throw new ImageException(file + ": the archive holds no blob " + d.digest());
        return stream(member);
    }

    /** The bytes of one archive member: {@code size} bytes from where the stream stands. */
    private static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long left;

        BoundedInputStream(InputStream in, long size) {
            this.in = in;
            this.left = size;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) return -1;
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) throw new ImageException("the archive ends inside a member (truncated)");
            left -= n;
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
