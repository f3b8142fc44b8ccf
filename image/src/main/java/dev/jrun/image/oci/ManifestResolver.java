package dev.jrun.image.oci;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jrun.image.ImageException;
import dev.jrun.image.ImageJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * From the content a name points at (an image manifest, an OCI index or a Docker manifest
 * list) to the one image to run: an index is narrowed to the entry for the wanted platform
 * (indexes may nest, as in some multi-arch layouts), then the manifest and its config are read
 * and checked. The reader verifies digest and size of everything it returns.
 */
public final class ManifestResolver {
    /** Deeper than any real image nests indexes; a loop of indexes ends here. */
    private static final int MAX_DEPTH = 4;

    private ManifestResolver() {}

    /** Reads the bytes of a descriptor's content (verified). */
    public interface Reader {
        byte[] read(Descriptor d) throws IOException;
    }

    /** The platform's manifest (its descriptor with the media type filled in) and its config. */
    public record Resolved(Descriptor manifestDescriptor, byte[] manifestBytes, Manifest manifest, byte[] configBytes,
                           ImageConfig config) {}

    /**
     * Resolves {@code root} (whose bytes are {@code rootBytes}) for {@code platform}.
     * {@code what} names the image in messages.
     */
    public static Resolved resolve(Descriptor root, byte[] rootBytes, Platform platform, Reader reader, String what)
            throws IOException {
        Descriptor d = root;
        byte[] bytes = rootBytes;
        for (int depth = 0; ; depth++) {
            String mt = mediaTypeOf(d, bytes, what);
            d = withMediaType(d, mt);
            if (MediaTypes.isManifest(mt)) return manifest(d, bytes, platform, reader, what);
            if (!MediaTypes.isIndex(mt)) throw new ImageException(what + ": unknown media type \"" + mt + "\" for " + d.digest()
                    + " (expected an OCI or Docker image manifest or index)");
            if (depth >= MAX_DEPTH) throw new ImageException(what + ": image indexes nest deeper than " + MAX_DEPTH);
            d = choose(parse(bytes, ImageIndex.class, d, what), platform, what);
            bytes = reader.read(d);
        }
    }

    private static Resolved manifest(Descriptor d, byte[] bytes, Platform platform, Reader reader, String what) throws IOException {
        Manifest m = parse(bytes, Manifest.class, d, what);
        if (m.schemaVersion() != 2) throw new ImageException(what + ": manifest " + d.digest() + " has schemaVersion " + m.schemaVersion() + " (2 is supported)");
        if (m.config() == null) throw new ImageException(what + ": manifest " + d.digest() + " has no config");
        if (m.layers() == null) throw new ImageException(what + ": manifest " + d.digest() + " has no layers list");
        String cmt = m.config().mediaType();
        if (!MediaTypes.isConfig(cmt))
            throw new ImageException(what + ": manifest " + d.digest() + " is not a container image (config media type \"" + cmt + "\")");
        for (Descriptor l : m.layers()) {
            try {
                MediaTypes.layerCompression(l.mediaType());
                l.parsedDigest();
            } catch (ImageException e) {
                throw new ImageException(what + ": layer " + l.digest() + ": " + e.getMessage(), e);
            }
        }
        byte[] cb = reader.read(m.config());
        ImageConfig c = parse(cb, ImageConfig.class, m.config(), what);
        if (c.rootfs() == null || c.rootfs().diffIds() == null)
            throw new ImageException(what + ": config " + m.config().digest() + " has no rootfs.diff_ids");
        if (c.rootfs().diffIds().size() != m.layers().size())
            throw new ImageException(what + ": config lists " + c.rootfs().diffIds().size() + " diff_ids for "
                    + m.layers().size() + " layers");
        // A single-platform image made for another machine would fail at exec with ENOEXEC.
        if (c.os() != null && c.architecture() != null
                && !platform.matches(new Platform(c.architecture(), c.os(), null, null, c.variant() != null ? c.variant() : platform.variant())))
            throw new ImageException(what + ": image is for " + c.os() + "/" + c.architecture()
                    + (c.variant() != null ? "/" + c.variant() : "") + ", not " + platform + " (--platform chooses)");
        return new Resolved(d, bytes, m, cb, c);
    }

    /** The index entry for {@code platform}; an image for a variant-less wish takes the first match. */
    static Descriptor choose(ImageIndex index, Platform platform, String what) {
        if (index.manifests() == null || index.manifests().isEmpty()) throw new ImageException(what + ": the image index lists no manifests");
        List<String> offered = new ArrayList<>();
        for (Descriptor m : index.manifests()) {
            if (platform.matches(m.platform())) {
                m.parsedDigest();
                return m;
            }
            offered.add(m.platform() == null ? "(no platform)" : platformText(m.platform()));
        }
        throw new ImageException(what + ": no image for platform " + platform + " (the index offers " + String.join(", ", offered) + ")");
    }

    private static String platformText(Platform p) {
        return p.os() + "/" + p.architecture() + (p.variant() != null ? "/" + p.variant() : "");
    }

    /** The descriptor's media type, else the content's own mediaType field (Docker v2 and most OCI content carry one). */
    private static String mediaTypeOf(Descriptor d, byte[] bytes, String what) {
        if (d.mediaType() != null && !d.mediaType().isEmpty()) return d.mediaType();
        JsonNode n = tree(bytes, d, what);
        JsonNode mt = n.get("mediaType");
        if (mt != null && mt.isTextual()) return mt.asText();
        // An OCI manifest may omit mediaType: tell it from an index by its fields.
        if (n.has("manifests")) return MediaTypes.OCI_INDEX;
        if (n.has("config") && n.has("layers")) return MediaTypes.OCI_MANIFEST;
        throw new ImageException(what + ": " + d.digest() + " is neither an image manifest nor an index");
    }

    private static Descriptor withMediaType(Descriptor d, String mt) {
        return mt.equals(d.mediaType()) ? d : new Descriptor(mt, d.digest(), d.size(), d.urls(), d.annotations(), d.platform(), d.artifactType());
    }

    private static JsonNode tree(byte[] bytes, Descriptor d, String what) {
        try {
            return ImageJson.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new ImageException(what + ": " + d.digest() + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    private static <T> T parse(byte[] bytes, Class<T> type, Descriptor d, String what) {
        try {
            return ImageJson.MAPPER.readValue(bytes, type);
        } catch (IOException e) {
            throw new ImageException(what + ": " + (d.mediaType() != null ? d.mediaType() + " " : "") + d.digest()
                    + " is not a valid " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
