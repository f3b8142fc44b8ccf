package dev.jrun.runtime.spec;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** linux.namespaces[]: a namespace to create (path absent) or join (path set). */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Namespace(String type, String path) {

    /** True when this entry asks for a fresh namespace rather than joining one by path. */
    public boolean createsNew() {
        return path == null || path.isEmpty();
    }
}
