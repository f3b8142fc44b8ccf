package dev.jrun.runtime.spec;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;

/** Top-level OCI runtime-spec config.json (config.md). Unknown fields are ignored; absent lists/maps are null. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Spec(
        String ociVersion,
        Process process,
        Root root,
        String hostname,
        String domainname,
        List<Mount> mounts,
        Hooks hooks,
        Map<String, String> annotations,
        Linux linux) {

    /** Mounts, never null (absent in JSON means no mounts). */
    public List<Mount> mountsOrEmpty() {
        return mounts == null ? List.of() : mounts;
    }
}
