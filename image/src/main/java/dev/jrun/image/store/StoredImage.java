package dev.jrun.image.store;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.jrun.image.Digest;
import dev.jrun.image.oci.Descriptor;

/**
 * One name in the store's catalog: the name ({@code registry/repo:tag} or {@code ...@digest}),
 * the platform manifest it resolved to, the digest the source gave for the name (an index's
 * digest for a multi-platform image: the "repo digest" engines show), and when it was stored.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StoredImage(String name, Descriptor manifest, String repoDigest, String stored) {
    public Digest manifestDigest() {
        return manifest.parsedDigest();
    }
}
