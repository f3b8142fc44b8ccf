package dev.jrun.image.oci;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Where image content comes from before it enters the store: an OCI layout directory, a
 * docker-archive tarball, a registry. The importer asks for the named images, then reads each
 * blob once; it verifies every blob's digest and size itself while copying.
 */
public interface ImageSource extends AutoCloseable {
    /** One image the source offers: its name as the source gives it (may be null) and its root descriptor. */
    record Entry(String name, Descriptor descriptor) {}

    /** The images in the source (an OCI layout's index.json entries, an archive's manifest.json entries). */
    List<Entry> entries() throws IOException;

    /**
     * The bytes of the content a descriptor names (a manifest, an index, a config or a layer; a
     * registry needs the media type to choose its endpoint). The caller closes the stream and
     * verifies digest and size while reading; the source need not.
     */
    InputStream open(Descriptor descriptor) throws IOException;

    @Override
    default void close() throws IOException {}
}
