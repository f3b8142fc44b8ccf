package dev.jrun.image;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

/**
 * The image module's one Jackson mapper, instead of one per class: a mapper builds and caches a
 * (de)serializer per type, and manifests and configs are read by the sources, the resolver and
 * the store alike. Reads ignore unknown fields (image content carries many jrun does not use).
 */
public final class ImageJson {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    /** Indented output (the catalog, bundle configs, inspect). */
    public static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();

    private ImageJson() {}
}
