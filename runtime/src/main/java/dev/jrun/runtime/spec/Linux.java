package dev.jrun.runtime.spec;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/** linux: Linux-specific configuration (config-linux.md). seccomp and personality are kept as raw JSON for their own parsers. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Linux(
        List<IdMapping> uidMappings,
        List<IdMapping> gidMappings,
        Map<String, String> sysctl,
        Resources resources,
        String cgroupsPath,
        List<Namespace> namespaces,
        List<Device> devices,
        List<String> maskedPaths,
        List<String> readonlyPaths,
        String rootfsPropagation,
        String mountLabel,
        Map<String, TimeOffset> timeOffsets,
        JsonNode seccomp,
        JsonNode personality) {

    public Linux {
        // Jackson maps an explicit JSON null to NullNode for JsonNode fields; treat it as absent
        // so callers only need a null check and serialising does not emit "seccomp": null.
        if (seccomp != null && seccomp.isNull()) {
            seccomp = null;
        }
        if (personality != null && personality.isNull()) {
            personality = null;
        }
    }

    /** Namespaces, never null. */
    public List<Namespace> namespacesOrEmpty() {
        return namespaces == null ? List.of() : namespaces;
    }

    /** The namespace entry of the given type (e.g. "pid"), or null if the config has none. */
    public Namespace namespace(String type) {
        for (Namespace ns : namespacesOrEmpty()) {
            if (ns != null && type.equals(ns.type())) {
                return ns;
            }
        }
        return null;
    }
}
