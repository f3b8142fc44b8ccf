package dev.jrun.image.oci;

/** The media types jrun reads: OCI image-spec v1 and Docker's distribution schema 2. */
public final class MediaTypes {
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String OCI_LAYER_TAR = "application/vnd.oci.image.layer.v1.tar";
    public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    public static final String OCI_LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";
    public static final String OCI_LAYER_NONDIST_TAR = "application/vnd.oci.image.layer.nondistributable.v1.tar";
    public static final String OCI_LAYER_NONDIST_GZIP = "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
    public static final String OCI_LAYER_NONDIST_ZSTD = "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd";
    public static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";

    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    public static final String DOCKER_LAYER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    public static final String DOCKER_LAYER_FOREIGN_GZIP = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";

    /** What a registry is asked for in Accept, most preferred first. */
    public static final String MANIFEST_ACCEPT =
            OCI_INDEX + ", " + OCI_MANIFEST + ", " + DOCKER_MANIFEST_LIST + ", " + DOCKER_MANIFEST;

    private MediaTypes() {}

    public static boolean isIndex(String mt) {
        return OCI_INDEX.equals(mt) || DOCKER_MANIFEST_LIST.equals(mt);
    }

    public static boolean isManifest(String mt) {
        return OCI_MANIFEST.equals(mt) || DOCKER_MANIFEST.equals(mt);
    }

    public static boolean isConfig(String mt) {
        return OCI_CONFIG.equals(mt) || DOCKER_CONFIG.equals(mt);
    }

    /** How a layer's bytes are compressed, from its media type. */
    public enum Compression { NONE, GZIP, ZSTD }

    /** The compression of a layer media type; an unknown type is an error naming it. */
    public static Compression layerCompression(String mt) {
        if (mt == null) throw new IllegalArgumentException("layer without a mediaType");
        return switch (mt) {
            case OCI_LAYER_TAR, OCI_LAYER_NONDIST_TAR -> Compression.NONE;
            case OCI_LAYER_GZIP, OCI_LAYER_NONDIST_GZIP, DOCKER_LAYER_GZIP, DOCKER_LAYER_FOREIGN_GZIP -> Compression.GZIP;
            case OCI_LAYER_ZSTD, OCI_LAYER_NONDIST_ZSTD -> Compression.ZSTD;
            default -> throw new dev.jrun.image.ImageException("unknown layer media type \"" + mt + "\"");
        };
    }
}
