package dev.jrun.runtime.state;

import dev.jrun.cgroups.Cgroup;

import java.nio.file.Files;
import java.nio.file.Path;

/** The status users see: the recorded phase checked against the init process and the cgroup. */
public final class StatusReader {
    private StatusReader() {}

    public static Status status(StoredState s) {
        if (s.phase() == Status.CREATING) {
            return s.pid() > 0 && ProcessProbe.alive(s.pid(), s.initStartTime()) ? Status.CREATING : Status.STOPPED;
        }
        if (!ProcessProbe.alive(s.pid(), s.initStartTime())) return Status.STOPPED;
        if (s.phase() == Status.CREATED && ProcessProbe.isJrunInit(s.pid())) return Status.CREATED;
        Cgroup cg = cgroupOf(s);
        if (cg != null && cg.exists() && cg.isFrozen()) return Status.PAUSED;
        return Status.RUNNING;
    }

    public static Cgroup cgroupOf(StoredState s) {
        if (s.cgroupMount() == null || s.cgroupPath() == null) return null;
        return new Cgroup(s.cgroupMount(), s.cgroupPath());
    }

    /** runc's view of a stored state; a stopped container reports pid 0, as runc does. */
    public static ContainerView view(StoredState s) {
        Status st = status(s);
        return new ContainerView(ContainerView.OCI_VERSION, s.id(), st == Status.STOPPED ? 0 : s.pid(), st.json(),
                s.bundle(), s.rootfs(), s.created(), s.annotations(), "");
    }

    /** The user owning a container's state folder, as runc's list shows it. */
    public static String owner(Path dir) {
        try {
            return Files.getOwner(dir).getName();
        } catch (Exception e) {
            return "";
        }
    }
}
