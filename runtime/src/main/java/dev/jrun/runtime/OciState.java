package dev.jrun.runtime;

import dev.jrun.runtime.json.JsonWriter;
import dev.jrun.runtime.state.ContainerView;
import dev.jrun.runtime.state.Status;
import dev.jrun.runtime.state.StoredState;

import java.util.LinkedHashMap;
import java.util.Map;

/** The runtime-spec "state" object that hooks read on stdin. */
final class OciState {
    private OciState() {}

    static String json(StoredState s, Status status) {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("ociVersion", ContainerView.OCI_VERSION);
        n.put("id", s.id());
        n.put("status", status.json());
        if (s.pid() > 0 && status != Status.STOPPED) n.put("pid", s.pid());
        n.put("bundle", s.bundle());
        if (s.annotations() != null && !s.annotations().isEmpty()) n.put("annotations", s.annotations());
        return JsonWriter.compact(n);
    }
}
