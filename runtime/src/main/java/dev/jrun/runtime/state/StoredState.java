package dev.jrun.runtime.state;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.jrun.runtime.spec.ConfigLoader;
import dev.jrun.runtime.spec.Spec;

import java.util.Map;

/**
 * What jrun keeps in ROOT/ID/state.json. {@code phase} is the last lifecycle step jrun completed
 * (creating, created, running); the status shown to users also looks at the init process and the
 * cgroup, see {@link ContainerView}.
 *
 * @param initStartTime the init's start time (field 22 of /proc/PID/stat), to tell a recycled pid
 * @param cgroupMount   where the cgroup2 hierarchy was mounted when the container was made
 * @param cgroupPath    the container's cgroup inside that hierarchy
 * @param cgroupCreated whether jrun created the cgroup (and so removes it on delete)
 * @param config        the bundle's config.json text as it was at create (kept as text: writing
 *                      the parsed model back out through reflection costs more start-up time)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StoredState(String id, int pid, long initStartTime, Status phase, String bundle, String rootfs,
                          String created, String owner, Map<String, String> annotations, String cgroupMount,
                          String cgroupPath, boolean cgroupCreated, String config) {

    /** The container's config, parsed again from the saved text. */
    public Spec spec() {
        return config == null ? null : ConfigLoader.parse(config, "config.json (saved in state.json)");
    }

    public StoredState withPid(int newPid, long startTime) {
        return new StoredState(id, newPid, startTime, phase, bundle, rootfs, created, owner, annotations,
                cgroupMount, cgroupPath, cgroupCreated, config);
    }

    public StoredState withPhase(Status newPhase) {
        return new StoredState(id, pid, initStartTime, newPhase, bundle, rootfs, created, owner, annotations,
                cgroupMount, cgroupPath, cgroupCreated, config);
    }
}
