package dev.jrun.runtime.init;

import dev.jrun.linux.Fds;
import dev.jrun.linux.Libc;
import dev.jrun.linux.LinuxException;
import dev.jrun.linux.Loopback;
import dev.jrun.linux.Namespaces;
import dev.jrun.runtime.JrunException;
import dev.jrun.runtime.hooks.HookRunner;
import dev.jrun.runtime.spec.Namespace;
import dev.jrun.runtime.spec.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The container's init (`jrun init`): born in the container's namespaces, PID 1 of its PID
 * namespace. The stages, in the order of DESIGN.md 1 and the runtime-spec lifecycle:
 * <ol>
 *   <li>build the rootfs mounts (host paths still visible);</li>
 *   <li>"mounted": jrun runs prestart and createRuntime hooks; then createContainer hooks here;</li>
 *   <li>pivot_root, masked/read-only paths, sysctl, hostname, loopback;</li>
 *   <li>"ready": jrun records the container as created and returns;</li>
 *   <li>wait on the exec FIFO for `jrun start`;</li>
 *   <li>join the cgroup (last, so the JVM's memory stays charged elsewhere), cgroup namespace and
 *       mount, rlimits, credentials, capabilities, no_new_privs, startContainer hooks (with the
 *       container's privileges), execve.</li>
 * </ol>
 */
final class ContainerInit {
    private final InitConfig cfg;
    private final Spec spec;
    private final SyncChannel sync;

    ContainerInit(InitConfig cfg, Spec spec, SyncChannel sync) {
        this.cfg = cfg;
        this.spec = spec;
        this.sync = sync;
    }

    void run() {
        RootfsBuilder rootfs = new RootfsBuilder(cfg, spec);
        rootfs.prepare();

        dev.jrun.runtime.Timing.mark("init: mounted");
        sync.send("mounted");
        sync.expect("hooks-done", "waiting for the createRuntime hooks");
        if (spec.hooks() != null) {
            HookRunner.runAll("createContainer", spec.hooks().createContainer(), cfg.stateJson());
        }

        // Handles that must outlive pivot_root: the cgroup to join and the FIFO `jrun start` opens.
        int cgroupProcs = Fds.open(cfg.cgroupProcs(), Fds.O_WRONLY | Fds.O_CLOEXEC, 0);
        CompletableFuture<Integer> fifo = openFifoInBackground(cfg.execFifo());
        warmUp();

        rootfs.enterRoot();
        // runc's order: sysctls and names before readonlyPaths turn /proc/sys read-only.
        applySysctl();
        applyNames();
        rootfs.finish();
        if (isNewNamespace("network")) Loopback.up();

        ProcessFinisher finisher = new ProcessFinisher(spec.process());
        String executable = finisher.resolveExecutable();
        List<String> env = finisher.environment();

        dev.jrun.runtime.Timing.mark("init: ready");
        finisher.applyRlimitsEarly();
        sync.send("ready");
        sync.close();

        int fifoFd = fifo.join();
        try {
            Fds.writeAll(fifoFd, "1"); // tells `jrun start` we are past the FIFO
            Fds.writeAll(cgroupProcs, "0"); // "0" is the writing process itself
            Fds.closeQuietly(cgroupProcs);
            if (cfg.newCgroupNs()) Libc.unshare(Namespaces.CLONE_NEWCGROUP);
            for (RootfsBuilder.DeferredCgroupMount m : rootfs.cgroupMounts()) mountCgroup(m);
            finisher.applyMemoryRlimits();
            finisher.applyUmask();
            finisher.changeDirectory();
            finisher.applyCredentials();
            // startContainer hooks are programs of the image: they run as the container's
            // process will, in its cgroup, with its user, capabilities and no_new_privs.
            if (spec.hooks() != null) {
                HookRunner.runAll("startContainer", spec.hooks().startContainer(), cfg.stateJson());
            }
            Fds.cloexecFrom(3 + cfg.preserveFds());
            // Last: the JVM ignores some signals and blocks others on this thread; an ignored
            // disposition and the mask would survive execve into the container's process.
            dev.jrun.linux.SignalState.resetForExec();
            dev.jrun.runtime.Timing.mark("init: execve");
            Libc.execve(executable, spec.process().args(), env);
        } catch (RuntimeException e) {
            // After "ready" only `jrun start` is listening, on the FIFO.
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            try {
                Fds.writeAll(fifoFd, msg); // `jrun start` reports it
            } catch (LinuxException gone) {
                System.err.println("jrun init: " + msg); // start went away: stderr is all that is left
            }
            InitMain.exit(127);
        }
    }

    /**
     * Opens the FIFO for writing on a helper thread: open(2) blocks until `jrun start` opens the
     * read end, and the path is resolved now, while the host's files are still reachable.
     */
    private static CompletableFuture<Integer> openFifoInBackground(String path) {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().daemon().name("jrun-exec-fifo").start(() -> {
            try {
                f.complete(Fds.open(path, Fds.O_WRONLY | Fds.O_CLOEXEC, 0));
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        assert t != null;
        return f;
    }

    /** Loads what the later stages need while the JDK's files are still reachable. */
    private static void warmUp() {
        // A host fact the capability code needs: read now, while /proc is the host's.
        dev.jrun.linux.Creds.lastCap();
        Files.exists(Path.of("/"));
        try {
            Files.readAllLines(Path.of("/proc/self/stat"));
        } catch (IOException ignored) {
            // only loading classes
        }
        new JrunException("warm-up").getMessage();
        String.format("%s %d", "a", 1);
    }

    private boolean isNewNamespace(String type) {
        if (spec.linux() == null || spec.linux().namespaces() == null) return false;
        for (Namespace n : spec.linux().namespaces()) {
            if (n.type().equals(type) && (n.path() == null || n.path().isEmpty())) return true;
        }
        return false;
    }

    private void applySysctl() {
        if (spec.linux() == null || spec.linux().sysctl() == null) return;
        for (Map.Entry<String, String> e : spec.linux().sysctl().entrySet()) {
            Path p = Path.of("/proc/sys", e.getKey().replace('.', '/'));
            try {
                Files.writeString(p, e.getValue());
            } catch (IOException ex) {
                throw new JrunException("cannot set sysctl " + e.getKey() + "=" + e.getValue() + " (" + p + "): "
                        + ex.getMessage(), ex);
            }
        }
    }

    private void applyNames() {
        if (spec.hostname() != null && !spec.hostname().isEmpty()) Libc.sethostname(spec.hostname());
        if (spec.domainname() != null && !spec.domainname().isEmpty()) Libc.setdomainname(spec.domainname());
    }

    /**
     * cgroup2 at the configured place. In a new cgroup namespace the mount shows the container's
     * cgroup as its root; without one, the container's own subtree is bound over the mount so it
     * cannot see (or write) the rest of the host's hierarchy.
     */
    private void mountCgroup(RootfsBuilder.DeferredCgroupMount m) {
        String dest = m.containerPath();
        long flags = m.options().flags() & ~(Libc.MS_BIND | Libc.MS_REC);
        try {
            if (cfg.newCgroupNs()) {
                Libc.mount("cgroup2", dest, "cgroup2", flags, null);
            } else {
                Libc.mount("cgroup2", dest, "cgroup2", flags & ~Libc.MS_RDONLY, null);
                Libc.mount(dest + cfg.cgroupPath(), dest, null, Libc.MS_BIND, null);
                if ((flags & Libc.MS_RDONLY) != 0) {
                    Libc.mount(null, dest, null, Libc.MS_BIND | Libc.MS_REMOUNT | flags, null);
                }
            }
        } catch (LinuxException e) {
            throw new JrunException("cannot mount cgroup2 on " + dest + ": " + e.getMessage(), e);
        }
    }
}
