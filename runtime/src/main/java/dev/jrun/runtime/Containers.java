package dev.jrun.runtime;

import dev.jrun.cgroups.Cgroup;
import dev.jrun.cgroups.CgroupException;
import dev.jrun.linux.Libc;
import dev.jrun.linux.LinuxException;
import dev.jrun.runtime.hooks.HookRunner;
import dev.jrun.runtime.spec.Hook;
import dev.jrun.runtime.state.ContainerView;
import dev.jrun.runtime.state.ProcessProbe;
import dev.jrun.runtime.state.StateStore;
import dev.jrun.runtime.state.Status;
import dev.jrun.runtime.state.StatusReader;
import dev.jrun.runtime.state.StoredState;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The container lifecycle behind runc's commands, usable as a library: create, start, run, kill,
 * delete, state, list, ps. One instance per state root (runc's --root).
 */
public final class Containers {
    private final StateStore store;
    private final Consumer<String> warnings;

    public Containers(Path root, Consumer<String> warnings) {
        this.store = new StateStore(root);
        this.warnings = warnings;
    }

    public Containers(Path root) {
        this(root, w -> System.err.println("jrun: warning: " + w));
    }

    public StateStore store() {
        return store;
    }

    /** `create`: the container waits in "created" for start; returns the init's pid. */
    public int create(String id, CreateOptions options) {
        return new Creator(store).create(id, options);
    }

    /** `start`: lets the init execve the user process, then runs the poststart hooks. */
    public void start(String id) {
        try (StateStore.Locked lock = store.open(id)) {
            StoredState s = read(lock);
            Status st = StatusReader.status(s);
            switch (st) {
                case CREATED -> { }
                case STOPPED -> throw new JrunException("cannot start a container that has stopped");
                case RUNNING -> throw new JrunException("cannot start an already running container");
                default -> throw new JrunException("cannot start a container in the " + st.json() + " state");
            }
            Path fifo = lock.dir().resolve("exec.fifo");
            ExecFifo.release(fifo.toString(), s.pid(), s.initStartTime());
            Timing.mark("start: init executed the process");
            s = s.withPhase(Status.RUNNING);
            lock.write(s);
            try {
                Files.deleteIfExists(fifo);
            } catch (java.io.IOException ignored) {
                // a stale FIFO is harmless: status comes from state.json
            }
            var spec = s.spec();
            if (spec != null && spec.hooks() != null) {
                runHooksWarning("poststart", spec.hooks().poststart(), OciState.json(s, Status.RUNNING));
            }
        }
    }

    /** `run`: create + start, then (unless detached) wait and delete; returns the exit status. */
    public int run(String id, CreateOptions options, boolean detach) {
        int pid = create(id, options);
        SignalForwarder forwarder = detach ? null : SignalForwarder.install(pid);
        try {
            try {
                start(id);
            } catch (RuntimeException e) {
                forceDelete(id);
                throw e;
            }
            if (detach) return 0;
            int[] status = Libc.waitpid(pid, 0);
            int code = Libc.exitCodeOf(status[1]);
            Timing.mark("run: container exited");
            delete(id, true);
            Timing.mark("run: deleted");
            return code;
        } finally {
            if (forwarder != null) forwarder.uninstall();
        }
    }

    private void forceDelete(String id) {
        try {
            delete(id, true);
        } catch (RuntimeException e) {
            warnings.accept("cleanup after a failed start: " + e.getMessage());
        }
    }

    /** `kill`: a signal to the init, or with {@code all} to every process of the container. */
    public void kill(String id, int signal, boolean all) {
        StoredState s = peekExisting(id);
        Status st = StatusReader.status(s);
        if (st == Status.STOPPED) throw new JrunException("container not running");
        if (all) {
            Cgroup cg = StatusReader.cgroupOf(s);
            if (cg != null) cg.signalAll(signal);
            if (st == Status.CREATED || st == Status.CREATING) signalInit(s, signal);
        } else {
            signalInit(s, signal);
        }
    }

    private static void signalInit(StoredState s, int signal) {
        try {
            Libc.kill(s.pid(), signal);
        } catch (LinuxException e) {
            if (!e.is(dev.jrun.linux.Errno.ESRCH)) throw new JrunException("cannot signal pid " + s.pid() + ": " + e.getMessage(), e);
        }
    }

    /**
     * `delete`: removes a stopped (or created) container; {@code force} also kills a running one.
     * Tolerates half-made containers (a create killed midway).
     */
    public void delete(String id, boolean force) {
        try (StateStore.Locked lock = store.open(id)) {
            Optional<StoredState> maybe = lock.read();
            if (maybe.isEmpty()) {
                // create died before writing any state: there is nothing else to undo
                lock.removeAll();
                return;
            }
            StoredState s = maybe.get();
            // A create that was killed while a hook ran leaves the hook behind: end it.
            new RunningHook(lock.dir()).killIfAlive();
            Status st = StatusReader.status(s);
            if ((st == Status.RUNNING || st == Status.PAUSED) && !force) {
                throw new JrunException("cannot delete container " + id + " that is not stopped: " + st.json());
            }
            Cgroup cg = StatusReader.cgroupOf(s);
            if (st != Status.STOPPED) {
                if (cg != null && cg.exists()) {
                    cg.killAll();
                    if (st == Status.PAUSED) cg.freeze(false, 5000);
                }
                signalInit(s, 9);
                awaitExit(s);
            }
            if (cg != null && s.cgroupCreated()) {
                try {
                    if (cg.exists() && !cg.isEmpty()) cg.killAll();
                    cg.destroy(10_000);
                } catch (CgroupException e) {
                    throw new JrunException("cannot delete container " + id + ": " + e.getMessage(), e);
                }
            }
            var spec = s.phase() == Status.CREATING ? null : s.spec();
            if (spec != null && spec.hooks() != null) {
                runHooksWarning("poststop", spec.hooks().poststop(), OciState.json(s, Status.STOPPED));
            }
            lock.removeAll();
        }
    }

    private static void awaitExit(StoredState s) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (ProcessProbe.alive(s.pid(), s.initStartTime())) {
            // Our own child (run, or a create in this JVM) must be reaped to stop being "alive".
            try {
                Libc.waitpid(s.pid(), Libc.WNOHANG);
            } catch (LinuxException ignored) {
                // not our child: its parent reaps it
            }
            if (System.nanoTime() > deadline) {
                throw new JrunException("container init (pid " + s.pid() + ") did not exit after SIGKILL");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }

    private void runHooksWarning(String kind, List<Hook> hooks, String stateJson) {
        if (hooks == null) return;
        for (int i = 0; i < hooks.size(); i++) {
            try {
                HookRunner.run(kind, i, hooks.get(i), stateJson);
            } catch (JrunException e) {
                // The spec: a failing poststart/poststop hook is logged and the lifecycle goes on.
                warnings.accept(e.getMessage());
            }
        }
    }

    /** `pause`: freezes every process of the container (cgroup.freeze) and waits until frozen. */
    public void pause(String id) {
        try (StateStore.Locked lock = store.open(id)) {
            StoredState s = read(lock);
            Status st = StatusReader.status(s);
            if (st == Status.PAUSED) throw new JrunException("container " + id + " is already paused");
            if (st != Status.RUNNING) throw new JrunException("container not running");
            cgroup(s).freeze(true, 10_000);
        }
    }

    /** `resume`: thaws a paused container. */
    public void resume(String id) {
        try (StateStore.Locked lock = store.open(id)) {
            StoredState s = read(lock);
            if (StatusReader.status(s) != Status.PAUSED) throw new JrunException("container not paused");
            cgroup(s).freeze(false, 10_000);
        }
    }

    /** `update`: applies new limits to a live container's cgroup. */
    public void update(String id, dev.jrun.runtime.spec.Resources resources) {
        try (StateStore.Locked lock = store.open(id)) {
            StoredState s = read(lock);
            Status st = StatusReader.status(s);
            if (st == Status.STOPPED) throw new JrunException("container not running");
            var settings = dev.jrun.runtime.resources.ResourceMapper.map(resources);
            try {
                cgroup(s).apply(settings);
            } catch (CgroupException e) {
                throw new JrunException(e.getMessage(), e);
            }
        }
    }

    /** The data of `events --stats`: runc's stats shape. */
    public java.util.Map<String, Object> stats(String id) {
        StoredState s = peekExisting(id);
        if (StatusReader.status(s) == Status.STOPPED) throw new JrunException("container not running");
        return dev.jrun.cgroups.CgroupStats.read(cgroup(s));
    }

    /** The number of OOM kills in the container's cgroup so far (memory.events oom_kill). */
    public long oomKills(String id) {
        StoredState s = peekExisting(id);
        Cgroup cg = StatusReader.cgroupOf(s);
        if (cg == null || !cg.exists()) return 0;
        return dev.jrun.cgroups.CgroupStats.keyed(cg.dir().resolve("memory.events")).getOrDefault("oom_kill", 0L);
    }

    private static Cgroup cgroup(StoredState s) {
        Cgroup cg = StatusReader.cgroupOf(s);
        if (cg == null || !cg.exists()) throw new JrunException("container " + s.id() + " has no cgroup");
        return cg;
    }

    /** `state`. */
    public ContainerView state(String id) {
        return StatusReader.view(peekExisting(id));
    }

    /** `list`: every container with a readable state. */
    public List<ContainerView> list() {
        List<ContainerView> out = new ArrayList<>();
        for (String id : store.ids()) {
            store.peek(id).ifPresent(s -> out.add(StatusReader.view(s).withOwner(StatusReader.owner(store.dir(id)))));
        }
        return out;
    }

    /** `ps`: the pids of the container's processes (host pid namespace). */
    public List<Integer> pids(String id) {
        StoredState s = peekExisting(id);
        Status st = StatusReader.status(s);
        List<Integer> pids = new ArrayList<>();
        if (st == Status.STOPPED) return pids;
        Cgroup cg = StatusReader.cgroupOf(s);
        if (cg != null) pids.addAll(cg.allPids());
        // Before start the init has not joined the cgroup yet (DESIGN.md 1).
        if (!pids.contains(s.pid()) && ProcessProbe.alive(s.pid(), s.initStartTime())) pids.add(0, s.pid());
        return pids;
    }

    private StoredState peekExisting(String id) {
        StateStore.validateId(id);
        return store.peek(id).orElseThrow(() -> new JrunException("container does not exist"));
    }

    private static StoredState read(StateStore.Locked lock) {
        return lock.read().orElseThrow(() -> new JrunException("container " + lock.id()
                + " has no state (a create was interrupted); remove it with delete --force"));
    }
}
