package dev.jrun.cgroups;

import dev.jrun.linux.Libc;
import dev.jrun.linux.LinuxException;

/** How the host mounts cgroups, found with statfs(2) as DESIGN.md 3 says. */
public enum CgroupMode {
    /** /sys/fs/cgroup is cgroup2. */
    UNIFIED("/sys/fs/cgroup"),
    /** cgroup v1 controllers plus a cgroup2 hierarchy at /sys/fs/cgroup/unified. */
    HYBRID("/sys/fs/cgroup/unified"),
    /** cgroup v1 only: jrun cannot place containers. */
    LEGACY(null);

    static final long CGROUP2_SUPER_MAGIC = 0x63677270L;

    private final String v2Mount;

    CgroupMode(String v2Mount) {
        this.v2Mount = v2Mount;
    }

    /** Where the cgroup2 hierarchy is mounted, or null in legacy mode. */
    public String v2Mount() {
        return v2Mount;
    }

    public static CgroupMode detect() {
        if (isCgroup2("/sys/fs/cgroup")) return UNIFIED;
        if (isCgroup2("/sys/fs/cgroup/unified")) return HYBRID;
        return LEGACY;
    }

    private static boolean isCgroup2(String path) {
        try {
            return Libc.statfsType(path) == CGROUP2_SUPER_MAGIC;
        } catch (LinuxException e) {
            return false;
        }
    }
}
