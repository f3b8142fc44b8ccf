package dev.jrun.image.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** An image index / Docker manifest list; also the shape of an OCI layout's index.json. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageIndex(
        int schemaVersion,
        String mediaType,
        List<Descriptor> manifests,
        Map<String, String> annotations) {

    /** The annotation an OCI layout uses to name an image (a tag or a full reference). */
    public static final String REF_NAME = "org.opencontainers.image.ref.name";
}
