package dev.jrun.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jrun.image.Digest;
import dev.jrun.image.ImageException;
import dev.jrun.image.ImageJson;
import dev.jrun.image.ImageRef;
import dev.jrun.image.oci.Descriptor;
import dev.jrun.image.oci.ImageSource;
import dev.jrun.image.oci.MediaTypes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;

/**
 * An image in a registry (distribution API v2). {@link #entries()} is the one image the
 * reference names: the manifest or index its tag or digest resolves to, fetched once and kept,
 * so the importer's first {@link #open} of it costs nothing. {@link #open} streams any other
 * manifest or index from {@code /v2/<repo>/manifests/<digest>} and everything else from
 * {@code /v2/<repo>/blobs/<digest>}. Safe for the importer's parallel blob threads.
 */
public final class RegistrySource implements ImageSource {
    /** The importer refuses bigger manifests; reading more would only waste memory. */
    private static final int MAX_MANIFEST = 16 << 20;

    private final ImageRef ref;
    private final RegistryClient client;
    private volatile Entry entry;
    private volatile byte[] rootBytes;

    public RegistrySource(ImageRef ref, RegistryOptions options) {
        this.ref = ref;
        this.client = new RegistryClient(ref, options == null ? RegistryOptions.defaults() : options);
    }

    @Override
    public synchronized List<Entry> entries() throws IOException {
        if (entry != null) return List.of(entry);
        RegistryErrors.Subject subject = new RegistryErrors.Subject(ref.registry(), ref.repository(), "manifest",
                ref.manifestReference(), ref.digest() == null);
        HttpTransport.Reply r = client.get("manifests/" + ref.manifestReference(), MediaTypes.MANIFEST_ACCEPT, subject);
        byte[] body;
        try (InputStream in = r.body()) {
            body = in.readNBytes(MAX_MANIFEST + 1);
        }
        if (body.length > MAX_MANIFEST)
            throw new ImageException(subject + ": the manifest is larger than " + MAX_MANIFEST + " bytes");
        String mediaType = mediaType(r.header("Content-Type"), body, subject);
        Digest digest = ref.digest() != null ? ref.digest() : headerDigest(r.header("Docker-Content-Digest"));
        if (digest == null) digest = Digest.sha256(body);
        rootBytes = body;
        entry = new Entry(ref.toString(), new Descriptor(mediaType, digest, body.length));
        return List.of(entry);
    }

    @Override
    public InputStream open(Descriptor d) throws IOException {
        Entry e = entry;
        byte[] cached = rootBytes;
        if (e != null && cached != null && e.descriptor().digest().equals(d.digest())) return new ByteArrayInputStream(cached);
        Digest digest = d.parsedDigest();
        boolean manifest = MediaTypes.isIndex(d.mediaType()) || MediaTypes.isManifest(d.mediaType());
        String kind = manifest ? "manifest" : "blob";
        RegistryErrors.Subject subject = new RegistryErrors.Subject(ref.registry(), ref.repository(), kind, digest.toString(), false);
        HttpTransport.Reply r = manifest
                ? client.get("manifests/" + digest, d.mediaType() + ", " + MediaTypes.MANIFEST_ACCEPT, subject)
                : client.get("blobs/" + digest, "*/*", subject);
        long expected = r.headers().firstValueAsLong("Content-Length").orElse(d.size());
        return new LengthCheckedStream(r.body(), expected, subject.toString());
    }

    @Override
    public void close() {
        client.close();
    }

    /**
     * The root's media type: Content-Type without parameters; when a registry sends a generic
     * type (application/json, or none), the document's own mediaType field.
     */
    private static String mediaType(String contentType, byte[] body, RegistryErrors.Subject subject) {
        String ct = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (MediaTypes.isIndex(ct) || MediaTypes.isManifest(ct)) return ct;
        String declared = "";
        try {
            JsonNode n = ImageJson.MAPPER.readTree(body);
            if (n != null) declared = n.path("mediaType").asText("");
            if (declared.isEmpty() && n != null && n.has("schemaVersion") && n.path("schemaVersion").asInt() == 1)
                declared = "application/vnd.docker.distribution.manifest.v1+json";
        } catch (IOException ex) {
            throw new ImageException(subject + ": the registry answered with " + (ct.isEmpty() ? "no Content-Type" : ct)
                    + " and a body that is not JSON");
        }
        if (MediaTypes.isIndex(declared) || MediaTypes.isManifest(declared)) return declared;
        if (ct.contains("manifest.v1") || declared.contains("manifest.v1"))
            throw new ImageException(subject + ": the registry serves only a Docker schema 1 manifest, which jrun does not read");
        throw new ImageException(subject + ": the registry answered with " + (ct.isEmpty() ? "no Content-Type" : ct)
                + (declared.isEmpty() ? "" : " and mediaType " + declared) + ", not an image manifest or index");
    }

    private static Digest headerDigest(String value) {
        if (value == null || value.isBlank()) return null;
        try {
            return Digest.parse(value.trim());
        } catch (ImageException e) {
            return null; // a malformed header: the body's own digest is the truth anyway
        }
    }
}
