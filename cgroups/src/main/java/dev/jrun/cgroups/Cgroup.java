package dev.jrun.cgroups;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * One cgroup in the cgroup2 hierarchy. Only core files are used here (cgroup.procs, cgroup.kill,
 * cgroup.freeze, cgroup.events): they work on hybrid hosts whose controllers are bound to v1.
 */
public final class Cgroup {
    private final Path mount;
    private final String path;
    private final Path dir;

    public Cgroup(String v2Mount, String path) {
        this.mount = Path.of(v2Mount);
        this.path = path;
        this.dir = Path.of(v2Mount + path);
        if (!dir.normalize().startsWith(mount)) {
            throw new CgroupException("cgroup path " + path + " leaves the hierarchy at " + v2Mount);
        }
    }

    /** The container's cgroup on this host, or an error when the host has no cgroup2 hierarchy. */
    public static Cgroup forContainer(String cgroupsPath, String containerId) {
        CgroupMode mode = CgroupMode.detect();
        if (mode == CgroupMode.LEGACY) {
            throw new CgroupException("this host has no cgroup v2 hierarchy (neither /sys/fs/cgroup nor"
                    + " /sys/fs/cgroup/unified is cgroup2); jrun needs cgroup v2");
        }
        return new Cgroup(mode.v2Mount(), CgroupPaths.resolve(cgroupsPath, containerId, CgroupPaths.ownCgroup()));
    }

    /** The path inside the hierarchy, e.g. {@code /jrun/abc}. */
    public String path() {
        return path;
    }

    public Path dir() {
        return dir;
    }

    public String mount() {
        return mount.toString();
    }

    public boolean exists() {
        return Files.isDirectory(dir);
    }

    /**
     * Creates the cgroup (and missing parents). Returns true when this call created the leaf, so a
     * failed create can remove only what it made.
     */
    public boolean create() {
        if (Files.isDirectory(dir)) return false;
        try {
            Files.createDirectories(dir);
            return true;
        } catch (IOException e) {
            throw new CgroupException("cannot create cgroup " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Applies settings: checks that each controller exists on this host, enables the needed
     * controllers in every ancestor's cgroup.subtree_control (from the hierarchy's root down),
     * then writes the values. A controller the host does not offer in cgroup v2 is an error that
     * names it: a limit jrun cannot enforce is never silently skipped.
     */
    public void apply(List<CgroupSetting> settings) {
        if (settings.isEmpty()) return;
        java.util.Set<String> needed = new java.util.TreeSet<>();
        for (CgroupSetting s : settings) if (!s.controller().equals("cgroup")) needed.add(s.controller());
        java.util.Set<String> offered = controllersOf(mount);
        for (CgroupSetting s : settings) {
            if (!s.controller().equals("cgroup") && !offered.contains(s.controller())) {
                throw new CgroupException(s.origin() + ": the " + s.controller() + " controller is not available in the"
                        + " cgroup v2 hierarchy at " + mount + " (it offers: " + String.join(" ", offered)
                        + (CgroupMode.detect() == CgroupMode.HYBRID ? "; this hybrid host binds the others to cgroup v1)" : ")"));
            }
        }
        enableDownTo(dir.getParent(), needed);
        for (CgroupSetting s : settings) {
            Path f = dir.resolve(s.file());
            try {
                Files.writeString(f, s.value(), StandardOpenOption.WRITE);
            } catch (NoSuchFileException e) {
                throw new CgroupException(s.origin() + ": this kernel has no " + s.file() + " (cannot apply \""
                        + s.value() + "\")", e);
            } catch (IOException e) {
                throw new CgroupException(s.origin() + ": cannot write \"" + s.value() + "\" to " + f + ": "
                        + e.getMessage(), e);
            }
        }
    }

    private static java.util.Set<String> controllersOf(Path cgroupDir) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        try {
            for (String c : Files.readString(cgroupDir.resolve("cgroup.controllers")).trim().split("\\s+")) {
                if (!c.isEmpty()) out.add(c);
            }
        } catch (IOException e) {
            throw new CgroupException("cannot read " + cgroupDir.resolve("cgroup.controllers") + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** "+ctrl" into cgroup.subtree_control of the hierarchy root and every ancestor down to {@code last}. */
    private void enableDownTo(Path last, java.util.Set<String> controllers) {
        if (controllers.isEmpty() || last == null) return;
        List<Path> chain = new ArrayList<>();
        for (Path p = last; p != null && p.startsWith(mount); p = p.getParent()) chain.add(0, p);
        for (Path p : chain) {
            java.util.Set<String> enabled;
            try {
                enabled = new java.util.HashSet<>(List.of(Files.readString(p.resolve("cgroup.subtree_control")).trim().split("\\s+")));
            } catch (IOException e) {
                throw new CgroupException("cannot read " + p.resolve("cgroup.subtree_control") + ": " + e.getMessage(), e);
            }
            StringBuilder add = new StringBuilder();
            for (String c : controllers) if (!enabled.contains(c)) add.append(add.isEmpty() ? "" : " ").append('+').append(c);
            if (add.isEmpty()) continue;
            try {
                Files.writeString(p.resolve("cgroup.subtree_control"), add.toString(), StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw new CgroupException("cannot enable " + add + " in " + p.resolve("cgroup.subtree_control") + ": "
                        + e.getMessage(), e);
            }
        }
    }

    /**
     * Device access control for this cgroup: the rules compiled to an eBPF program
     * ({@link DeviceFilter}) and attached with bpf(2). The attachment lives as long as the cgroup.
     */
    public void setDeviceRules(List<DeviceRule> rules) {
        byte[] program = DeviceFilter.build(rules);
        int prog = -1, cg = -1;
        try {
            prog = dev.jrun.linux.Bpf.loadCgroupDeviceProgram(program);
            cg = dev.jrun.linux.Fds.open(dir.toString(), dev.jrun.linux.Fds.O_RDONLY | dev.jrun.linux.Fds.O_DIRECTORY
                    | dev.jrun.linux.Fds.O_CLOEXEC, 0);
            dev.jrun.linux.Bpf.attachCgroupDevice(cg, prog);
        } catch (dev.jrun.linux.LinuxException e) {
            throw new CgroupException("cannot enforce the device rules on " + dir + ": " + e.getMessage(), e);
        } finally {
            dev.jrun.linux.Fds.closeQuietly(prog);
            dev.jrun.linux.Fds.closeQuietly(cg);
        }
    }

    /** Moves a process (all its threads) into this cgroup. */
    public void addProcess(int pid) {
        write("cgroup.procs", Integer.toString(pid));
    }

    /** The pids in this cgroup and every cgroup below it. */
    public List<Integer> allPids() {
        List<Integer> pids = new ArrayList<>();
        if (!exists()) return pids;
        try (var walk = Files.walk(dir)) {
            for (Path d : (Iterable<Path>) walk.filter(Files::isDirectory)::iterator) {
                readPids(d.resolve("cgroup.procs"), pids);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            // a child cgroup vanished while walking: what was read is what there is
        }
        return pids;
    }

    private static void readPids(Path procs, List<Integer> into) {
        try {
            for (String l : Files.readAllLines(procs)) {
                if (!l.isBlank()) into.add(Integer.parseInt(l.trim()));
            }
        } catch (NoSuchFileException e) {
            // removed concurrently
        } catch (IOException e) {
            throw new CgroupException("cannot read " + procs + ": " + e.getMessage(), e);
        }
    }

    /** Kills every process in the cgroup tree: cgroup.kill (Linux 5.14+), else SIGKILL each pid. */
    public void killAll() {
        Path kill = dir.resolve("cgroup.kill");
        if (Files.exists(kill)) {
            write("cgroup.kill", "1");
            return;
        }
        for (int pid : allPids()) {
            try {
                dev.jrun.linux.Libc.kill(pid, 9);
            } catch (dev.jrun.linux.LinuxException ignored) {
                // already gone
            }
        }
    }

    /** Sends {@code signal} to every process in the cgroup tree. */
    public void signalAll(int signal) {
        if (signal == 9) {
            killAll();
            return;
        }
        for (int pid : allPids()) {
            try {
                dev.jrun.linux.Libc.kill(pid, signal);
            } catch (dev.jrun.linux.LinuxException ignored) {
                // exited meanwhile
            }
        }
    }

    /** Whether cgroup.events says the cgroup has no live process. */
    public boolean isEmpty() {
        String populated = event("populated");
        return populated == null ? allPids().isEmpty() : populated.equals("0");
    }

    public boolean isFrozen() {
        return "1".equals(event("frozen"));
    }

    private String event(String key) {
        try {
            for (String l : Files.readAllLines(dir.resolve("cgroup.events"))) {
                if (l.startsWith(key + " ")) return l.substring(key.length() + 1).trim();
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    /** Freezes or thaws the cgroup and waits until cgroup.events reports the new state. */
    public void freeze(boolean frozen, long timeoutMillis) {
        write("cgroup.freeze", frozen ? "1" : "0");
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (isFrozen() != frozen) {
            if (System.nanoTime() > deadline) {
                throw new CgroupException("cgroup " + dir + " did not become " + (frozen ? "frozen" : "thawed")
                        + " within " + timeoutMillis + " ms");
            }
            sleep(2);
        }
    }

    /**
     * Removes the cgroup once its processes are gone, retrying while the kernel still counts
     * exiting tasks (EBUSY). Child cgroups are removed first. Missing is not an error.
     */
    public void destroy(long timeoutMillis) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (true) {
            try {
                removeTree(dir);
                return;
            } catch (NoSuchFileException e) {
                return;
            } catch (FileSystemException e) {
                if (System.nanoTime() > deadline) {
                    throw new CgroupException("cannot remove cgroup " + dir + ": " + e.getMessage()
                            + " (pids still inside: " + allPids() + ")", e);
                }
                sleep(5);
            } catch (IOException e) {
                throw new CgroupException("cannot remove cgroup " + dir + ": " + e.getMessage(), e);
            }
        }
    }

    private static void removeTree(Path d) throws IOException {
        if (!Files.isDirectory(d)) throw new NoSuchFileException(d.toString());
        try (var children = Files.list(d)) {
            for (Path c : (Iterable<Path>) children.filter(Files::isDirectory)::iterator) {
                try {
                    removeTree(c);
                } catch (NoSuchFileException ignored) {
                    // gone already
                }
            }
        }
        // rmdir(2) of a cgroup directory; its interface files go with it.
        Files.delete(d);
    }

    private void write(String file, String value) {
        Path f = dir.resolve(file);
        try {
            Files.writeString(f, value, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new CgroupException("cannot write \"" + value + "\" to " + f + ": " + e.getMessage(), e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CgroupException("interrupted while waiting on a cgroup", e);
        }
    }

    @Override
    public String toString() {
        return dir.toString();
    }
}
