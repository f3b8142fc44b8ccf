package dev.jrun.runtime;

import dev.jrun.linux.Fds;
import dev.jrun.linux.Libc;
import dev.jrun.linux.LinuxException;
import dev.jrun.linux.Namespaces;
import dev.jrun.linux.Spawn;
import dev.jrun.runtime.init.InitMain;
import dev.jrun.runtime.init.SyncChannel;
import dev.jrun.runtime.spec.Namespace;
import dev.jrun.runtime.spec.Spec;
import dev.jrun.runtime.spec.TimeOffset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Starts `jrun init` in the container's namespaces (DESIGN.md 1): a fresh platform thread joins
 * the namespaces given by path, unshares the new ones, and posix_spawns the init, which inherits
 * them. The thread then ends: it never runs other work. The cgroup namespace is left to the init,
 * which unshares it after joining the container's cgroup so that the cgroup is its root.
 */
public final class InitLauncher {
    private InitLauncher() {}

    /** The running init and jrun's end of its sync socket. */
    public record Launched(int pid, SyncChannel sync) {}

    /** The JVM options of the init: small, no perf data file in the container's /tmp, quiet. */
    static List<String> initCommand(int syncFd) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:-UsePerfData");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Xms8m");
        cmd.add("-Xmx64m");
        cmd.add("-Xss512k");
        cmd.add("-XX:+DisableAttachMechanism");
        cmd.add("-Xlog:disable");
        cmd.add("-Xlog:all=error:stderr");
        cmd.add("--enable-native-access=ALL-UNNAMED");
        // Reflection without spinning a method-handle class per record constructor (see MiniJson).
        cmd.add("-Djdk.reflect.useNativeAccessorOnly=true");
        String aot = System.getProperty("jrun.aot");
        if (aot != null && Files.isReadable(Path.of(aot))) cmd.add("-XX:AOTCache=" + aot);
        // A tuning knob for measuring (bench/): extra JVM options for the init, space-separated.
        String extra = System.getenv("JRUN_INIT_JVM_OPTS");
        if (extra != null && !extra.isBlank()) cmd.addAll(List.of(extra.trim().split("\\s+")));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(InitMain.class.getName());
        return cmd;
    }

    public static Launched launch(Spec spec, int preserveFds) {
        int[] pair = Fds.socketPair();
        int syncFd = 3 + preserveFds;
        List<String> cmd = initCommand(syncFd);
        List<String> env = new ArrayList<>(List.of("LC_ALL=C.UTF-8", InitMain.SYNC_FD_ENV + "=" + syncFd));
        if (System.getenv("JRUN_TIMING") != null) env.add("JRUN_TIMING=" + System.getenv("JRUN_TIMING"));
        Map<Integer, Integer> fds = new HashMap<>(Map.of(0, 0, 1, 1, 2, 2));
        fds.put(syncFd, pair[1]);
        int devNull = fillNotInherited(fds, preserveFds);
        Spawn.Request req = new Spawn.Request(cmd.get(0), cmd, env, fds, 3 + preserveFds, null, true);

        AtomicReference<Object> result = new AtomicReference<>();
        Thread launcher = Thread.ofPlatform().name("jrun-launcher").unstarted(() -> {
            try {
                enterNamespaces(spec);
                result.set(Spawn.spawn(req));
            } catch (Throwable t) {
                result.set(t);
            }
        });
        launcher.start();
        try {
            launcher.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JrunException("interrupted while starting the container init", e);
        } finally {
            Fds.closeQuietly(pair[1]);
            Fds.closeQuietly(devNull);
        }
        Object r = result.get();
        if (r instanceof Integer pid) return new Launched(pid, new SyncChannel(pair[0]));
        Fds.closeQuietly(pair[0]);
        Throwable t = (Throwable) r;
        if (t instanceof JrunException j) throw j;
        throw new JrunException("cannot start the container init: " + t.getMessage(), t);
    }

    /**
     * --preserve-fds passes fds 3..3+N-1 on as they are. Where the caller left a slot empty, this
     * JVM may have opened a file of its own (the module image, a lock file): such slots get
     * /dev/null instead, so nothing of jrun's reaches the container. The `jrun` script says which
     * fds it was given (jrun.inheritedFds); without that (library use) every slot is the caller's.
     *
     * @return the /dev/null fd to close after the spawn, or -1
     */
    private static int fillNotInherited(Map<Integer, Integer> fds, int preserveFds) {
        String given = System.getProperty("jrun.inheritedFds");
        if (preserveFds == 0 || given == null) return -1;
        java.util.Set<Integer> inherited = new java.util.HashSet<>();
        for (String n : given.split(",")) {
            if (!n.isBlank()) inherited.add(Integer.parseInt(n.trim()));
        }
        int devNull = -1;
        for (int fd = 3; fd < 3 + preserveFds; fd++) {
            if (inherited.contains(fd)) continue;
            if (devNull < 0) devNull = Fds.open("/dev/null", Fds.O_RDWR | Fds.O_CLOEXEC, 0);
            fds.put(fd, devNull);
        }
        return devNull;
    }

    /** Runs on the launcher thread only: it changes that thread's namespaces for good. */
    private static void enterNamespaces(Spec spec) {
        List<Namespace> nss = spec.linux() == null || spec.linux().namespaces() == null ? List.of()
                : spec.linux().namespaces();
        int unshare = 0;
        for (Namespace ns : nss) {
            if (ns.path() != null && !ns.path().isEmpty()) {
                if (ns.type().equals("mount")) Libc.unshare(Namespaces.CLONE_FS);
                try {
                    Namespaces.join(ns.path(), ns.type());
                } catch (LinuxException e) {
                    throw new JrunException("cannot join " + ns.type() + " namespace " + ns.path() + ": "
                            + e.getMessage(), e);
                }
            } else if (!ns.type().equals("cgroup")) {
                unshare |= Namespaces.flag(ns.type());
            }
        }
        if (unshare != 0) {
            try {
                Libc.unshare(unshare);
            } catch (LinuxException e) {
                throw new JrunException("cannot create the container's namespaces: " + e.getMessage(), e);
            }
        }
        if ((unshare & Namespaces.CLONE_NEWTIME) != 0 && spec.linux().timeOffsets() != null) {
            writeTimeOffsets(spec.linux().timeOffsets());
        }
    }

    private static void writeTimeOffsets(Map<String, TimeOffset> offsets) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, TimeOffset> e : offsets.entrySet()) {
            sb.append(e.getKey()).append(' ').append(e.getValue().secs()).append(' ')
                    .append(e.getValue().nanosec()).append('\n');
        }
        // The offsets belong to the time namespace this *thread* made for its children. The
        // kernel reads them through the task the /proc entry names: /proc/self would name the
        // JVM's main thread and thread-self has no such file, but /proc/TID names this thread.
        Path p = Path.of("/proc/" + dev.jrun.linux.Creds.gettid() + "/timens_offsets");
        try {
            Files.writeString(p, sb.toString());
        } catch (IOException e) {
            throw new JrunException("cannot write linux.timeOffsets to " + p + ": " + e, e);
        }
    }

    /** Whether the config asks for a new cgroup namespace (the init makes it). */
    public static boolean wantsNewCgroupNs(Spec spec) {
        if (spec.linux() == null || spec.linux().namespaces() == null) return false;
        return spec.linux().namespaces().stream()
                .anyMatch(n -> n.type().equals("cgroup") && (n.path() == null || n.path().isEmpty()));
    }

    /** True when the config names a cgroup namespace to join (the launcher joins it). */
    static boolean joinsCgroupNs(Spec spec) {
        if (spec.linux() == null || spec.linux().namespaces() == null) return false;
        return spec.linux().namespaces().stream()
                .anyMatch(n -> n.type().equals("cgroup") && n.path() != null && !n.path().isEmpty());
    }
}
