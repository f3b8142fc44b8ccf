package dev.jrun.runtime.init;

import dev.jrun.runtime.JrunException;
import dev.jrun.runtime.spec.Mount;

import java.nio.file.Path;
import java.util.List;

/**
 * runc's rule for mounts on and inside /proc: a mount over /proc itself must be a procfs, and
 * below /proc only the files that lxcfs emulates may be covered. Anything else could hide the
 * masked or read-only parts of /proc (a tmpfs over /proc/sys would undo its read-only bind).
 */
public final class ProcMountRule {
    private ProcMountRule() {}

    private static final List<String> ALLOWED = List.of("/proc/cpuinfo", "/proc/diskstats", "/proc/meminfo",
            "/proc/stat", "/proc/swaps", "/proc/uptime", "/proc/loadavg", "/proc/slabinfo", "/proc/net/dev",
            "/proc/sys/kernel/ns_last_pid");

    /** @param dest the destination as a path inside the container, already cleaned or resolved */
    public static void check(String dest, Mount m) {
        String d = Path.of("/").resolve(dest).normalize().toString();
        String shown = d.equals(Path.of("/").resolve(m.destination()).normalize().toString()) ? ""
                : " (it resolves to " + d + " in the rootfs)";
        if (d.equals("/proc")) {
            if ("proc".equals(m.type())) return;
            throw new JrunException("\"" + m.destination() + "\"" + shown + " cannot be mounted because it is not of type proc");
        }
        if (!d.startsWith("/proc/")) return;
        if (ALLOWED.contains(d)) return;
        throw new JrunException("\"" + m.destination() + "\"" + shown + " cannot be mounted because it is inside /proc");
    }
}
