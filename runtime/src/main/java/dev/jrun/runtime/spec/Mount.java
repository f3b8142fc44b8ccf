package dev.jrun.runtime.spec;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/** mounts[]: one mount; type may be absent for bind mounts. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Mount(
        String destination,
        String type,
        String source,
        List<String> options,
        List<IdMapping> uidMappings,
        List<IdMapping> gidMappings) {

    /** Options, never null. */
    public List<String> optionsOrEmpty() {
        return options == null ? List.of() : options;
    }

    /** True when options ask for a bind (bind or rbind), in which case type is optional. */
    public boolean bindMount() {
        return optionsOrEmpty().contains("bind") || optionsOrEmpty().contains("rbind");
    }
}
