package dev.jrun.linux;

import java.util.Map;

/** Namespace kinds: their clone(2) flags and their names under /proc/PID/ns. */
public final class Namespaces {
    private Namespaces() {}

    public static final int CLONE_NEWTIME = 0x00000080, CLONE_FS = 0x00000200, CLONE_NEWNS = 0x00020000,
            CLONE_NEWCGROUP = 0x02000000, CLONE_NEWUTS = 0x04000000, CLONE_NEWIPC = 0x08000000,
            CLONE_NEWUSER = 0x10000000, CLONE_NEWPID = 0x20000000, CLONE_NEWNET = 0x40000000;

    /** OCI namespace type -> clone flag. */
    public static final Map<String, Integer> FLAGS = Map.of(
            "pid", CLONE_NEWPID, "network", CLONE_NEWNET, "mount", CLONE_NEWNS, "ipc", CLONE_NEWIPC,
            "uts", CLONE_NEWUTS, "user", CLONE_NEWUSER, "cgroup", CLONE_NEWCGROUP, "time", CLONE_NEWTIME);

    /** OCI namespace type -> entry in /proc/PID/ns. */
    public static final Map<String, String> PROC_NAMES = Map.of(
            "pid", "pid", "network", "net", "mount", "mnt", "ipc", "ipc", "uts", "uts", "user", "user",
            "cgroup", "cgroup", "time", "time");

    public static int flag(String ociType) {
        Integer f = FLAGS.get(ociType);
        if (f == null) throw new IllegalArgumentException("unknown namespace type " + ociType);
        return f;
    }

    /** Joins the namespace at {@code path} on the calling thread. */
    public static void join(String path, String ociType) {
        int fd = Fds.open(path, Fds.O_RDONLY | Fds.O_CLOEXEC, 0);
        try {
            Libc.setns(fd, flag(ociType), ociType + " namespace " + path);
        } finally {
            Fds.closeQuietly(fd);
        }
    }
}
