package dev.jrun.cgroups;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Turns linux.cgroupsPath into a path inside the cgroup2 hierarchy, refusing escapes. */
public final class CgroupPaths {
    private CgroupPaths() {}

    /**
     * runc's cgroupfs rules: an absolute path is taken from the hierarchy root; a relative one (or
     * the container id when the config names none) is placed under jrun's own cgroup.
     *
     * @return a normalised absolute path such as {@code /machine.slice/ctr}
     */
    public static String resolve(String cgroupsPath, String containerId, String ownCgroup) {
        String p = cgroupsPath == null || cgroupsPath.isEmpty() ? containerId : cgroupsPath;
        if (p.indexOf(':') >= 0 && !p.startsWith("/")) {
            throw new CgroupException("linux.cgroupsPath \"" + p + "\" is in systemd's slice:prefix:name form;"
                    + " jrun drives cgroupfs paths only (give an absolute path such as /machine.slice/" + containerId + ")");
        }
        String base = p.startsWith("/") ? "/" : ownCgroup;
        StringBuilder out = new StringBuilder();
        for (String part : (base + "/" + p).split("/")) {
            if (part.isEmpty() || part.equals(".")) continue;
            if (part.equals("..")) {
                throw new CgroupException("linux.cgroupsPath \"" + p + "\" contains \"..\": a cgroup path may not"
                        + " leave its place in the hierarchy");
            }
            out.append('/').append(part);
        }
        if (out.isEmpty()) {
            throw new CgroupException("linux.cgroupsPath \"" + p + "\" names the root cgroup; a container needs its own");
        }
        return out.toString();
    }

    /** This process's cgroup v2 path from /proc/self/cgroup (the "0::" line). */
    public static String ownCgroup() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
                if (line.startsWith("0::")) {
                    String p = line.substring(3);
                    return p.isEmpty() ? "/" : p;
                }
            }
        } catch (IOException e) {
            throw new CgroupException("cannot read /proc/self/cgroup: " + e.getMessage(), e);
        }
        return "/";
    }
}
