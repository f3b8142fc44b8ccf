package dev.jrun.runtime.spec;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** root: the container root filesystem, path relative to the bundle or absolute. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Root(String path, Boolean readonly) {

    public boolean readonlyEnabled() {
        return Boolean.TRUE.equals(readonly);
    }
}
