package dev.jrun.runtime;

import dev.jrun.cgroups.Cgroup;
import dev.jrun.cgroups.CgroupException;
import dev.jrun.linux.Libc;
import dev.jrun.linux.LinuxException;
import dev.jrun.runtime.hooks.HookRunner;
import dev.jrun.runtime.init.InitConfig;
import dev.jrun.runtime.spec.ConfigLoader;
import dev.jrun.runtime.spec.Spec;
import dev.jrun.runtime.spec.SpecValidator;
import dev.jrun.runtime.state.ProcessProbe;
import dev.jrun.runtime.state.StateStore;
import dev.jrun.runtime.state.Status;
import dev.jrun.runtime.state.StoredState;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * `create`: validate the bundle, claim the id, make the cgroup, start the init, run the
 * prestart/createRuntime hooks when the init has mounted the rootfs, and record the container as
 * created once the init is waiting on the exec FIFO. Any failure undoes every step.
 */
final class Creator {
    private final StateStore store;

    Creator(StateStore store) {
        this.store = store;
    }

    /** Returns the init's pid; the init stays a child of this process. */
    int create(String id, CreateOptions o) {
        StateStore.validateId(id);
        Path bundle = o.bundle().toAbsolutePath().normalize();
        Timing.mark("create: begin");
        String configText = ConfigLoader.readText(bundle);
        Spec spec = ConfigLoader.parse(configText, ConfigLoader.CONFIG_FILE);
        Timing.mark("create: config parsed");
        SpecValidator.validate(spec, "config.json");
        if (spec.process() == null) throw new JrunException("config.json: process is required to create a container");
        if (Boolean.TRUE.equals(spec.process().terminal())) {
            throw new JrunException("config.json: process.terminal is true, but jrun cannot allocate a terminal yet"
                    + " (no --console-socket support); set \"terminal\": false");
        }
        Path rootfs = bundle.resolve(spec.root().path()).normalize();
        if (!Files.isDirectory(rootfs)) {
            throw new JrunException("rootfs (" + rootfs + ") does not exist or is not a directory (config.json $.root.path)");
        }
        // Checked (and mapped to cgroup v2 files) before anything is made.
        var limits = dev.jrun.runtime.resources.ResourceMapper.map(spec.linux().resources());
        FeatureGuard.check(spec);
        for (var m : spec.mountsOrEmpty()) dev.jrun.runtime.init.ProcMountRule.check(m.destination(), m);
        Timing.mark("create: config loaded and validated");

        try (StateStore.Locked lock = store.createNew(id)) {
            Cgroup cgroup = null;
            boolean cgroupCreated = false;
            InitLauncher.Launched init = null;
            try {
                // The init first: its JVM boots on the other core while we make the cgroup and
                // the state. It waits for its config, and exits by itself if we die before that.
                init = InitLauncher.launch(spec, o.preserveFds());
                Timing.mark("create: init spawned");
                cgroup = Cgroup.forContainer(spec.linux().cgroupsPath(), id);
                if (cgroup.exists() && !cgroup.allPids().isEmpty()) {
                    // kill --all and delete --force would hit processes that are not the container's
                    Cgroup taken = cgroup;
                    cgroup = null; // not ours: undo must not remove it
                    throw new JrunException("container's cgroup " + taken.path() + " is not empty: "
                            + taken.allPids().size() + " process(es) found");
                }
                // Record the init and the cgroup before making the cgroup: a jrun killed right
                // after still leaves enough in state.json for `delete --force` to remove both.
                StoredState state = new StoredState(id, init.pid(), ProcessProbe.startTime(init.pid()), Status.CREATING,
                        bundle.toString(), rootfs.toString(), DateTimeFormatter.ISO_INSTANT.format(Instant.now()), "",
                        spec.annotations(), cgroup.mount(), cgroup.path(), !cgroup.exists(), configText);
                lock.write(state);
                cgroupCreated = cgroup.create();
                try {
                    cgroup.apply(limits);
                } catch (CgroupException e) {
                    throw new JrunException("config.json " + e.getMessage(), e);
                }
                try {
                    cgroup.setDeviceRules(dev.jrun.runtime.resources.DeviceRules.forSpec(spec));
                } catch (CgroupException e) {
                    throw new JrunException("config.json $.linux.resources.devices: " + e.getMessage(), e);
                }
                Path fifo = lock.dir().resolve("exec.fifo");
                Libc.mkfifo(fifo.toString(), 0622);
                writeOomScoreAdj(spec, init.pid());
                Timing.mark("create: cgroup and state ready");

                var msg = init.sync().message("config");
                InitConfig cfg = new InitConfig(id, bundle.toString(), rootfs.toString(), o.noPivot(), configText,
                        cgroup.dir().resolve("cgroup.procs").toString(), cgroup.path(),
                        InitLauncher.wantsNewCgroupNs(spec), fifo.toString(), o.preserveFds(),
                        OciState.json(state, Status.CREATING));
                msg.put("config", cfg);
                init.sync().send(msg);

                init.sync().expect("mounted", "preparing the root filesystem");
                Timing.mark("create: init mounted the rootfs");
                if (spec.hooks() != null) {
                    String stateJson = OciState.json(state, Status.CREATING);
                    RunningHook tracker = new RunningHook(lock.dir());
                    HookRunner.runAll("prestart", spec.hooks().prestart(), stateJson, tracker::record);
                    HookRunner.runAll("createRuntime", spec.hooks().createRuntime(), stateJson, tracker::record);
                    tracker.clear();
                }
                init.sync().send("hooks-done");
                init.sync().expect("ready", "finishing the container setup");
                Timing.mark("create: init ready");
                init.sync().close();

                lock.write(state.withPhase(Status.CREATED));
                if (o.pidFile() != null) writePidFile(o.pidFile(), init.pid());
                return init.pid();
            } catch (RuntimeException e) {
                undo(lock, init, cgroup, cgroupCreated);
                throw e;
            }
        }
    }

    /** Kills the init (its mount namespace and every mount in it die with it) and removes the rest. */
    private static void undo(StateStore.Locked lock, InitLauncher.Launched init, Cgroup cgroup, boolean cgroupCreated) {
        if (init != null) {
            init.sync().close();
            try {
                Libc.kill(init.pid(), 9);
            } catch (LinuxException ignored) {
                // already exited
            }
            try {
                Libc.waitpid(init.pid(), 0);
            } catch (LinuxException ignored) {
                // not our child any more
            }
        }
        if (cgroup != null && cgroupCreated) {
            try {
                cgroup.killAll();
                cgroup.destroy(5000);
            } catch (CgroupException ignored) {
                // reported by the original error; delete --force retries
            }
        }
        lock.removeAll();
    }

    private static void writeOomScoreAdj(Spec spec, int pid) {
        Integer adj = spec.process().oomScoreAdj();
        if (adj == null) return;
        Path p = Path.of("/proc/" + pid + "/oom_score_adj");
        try {
            Files.writeString(p, adj.toString());
        } catch (IOException e) {
            throw new JrunException("cannot set process.oomScoreAdj " + adj + " (" + p + "): " + e.getMessage(), e);
        }
    }

    static void writePidFile(Path pidFile, int pid) {
        Path abs = pidFile.toAbsolutePath();
        Path tmp = abs.resolveSibling("." + abs.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, Integer.toString(pid));
            Files.move(tmp, abs, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new JrunException("cannot write pid file " + abs + ": " + e.getMessage(), e);
        }
    }
}
