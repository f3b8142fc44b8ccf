package dev.jrun.runtime.state;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.Map;

/**
 * runc's container state JSON (`state`, `list --format json`): the same keys in the same order,
 * annotations only when present, so engines parse it unchanged.
 */
@JsonPropertyOrder({"ociVersion", "id", "pid", "status", "bundle", "rootfs", "created", "annotations", "owner"})
public record ContainerView(String ociVersion, String id, int pid, String status, String bundle, String rootfs,
                            String created,
                            @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> annotations,
                            String owner) {

    /** The OCI runtime-spec version jrun reports. */
    public static final String OCI_VERSION = "1.3.0";

    public ContainerView withOwner(String newOwner) {
        return new ContainerView(ociVersion, id, pid, status, bundle, rootfs, created, annotations, newOwner);
    }
}
