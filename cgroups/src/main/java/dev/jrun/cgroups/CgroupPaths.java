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
        if (p.indexOf(':') >= 0 && !p.startsWith("/")) p = fromSystemdForm(p);
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

    /**
     * systemd's "slice:prefix:name" (what engines pass with --systemd-cgroup) as the path systemd
     * itself would use: "machine.slice:libpod:abc" is /machine.slice/libpod-abc.scope, and a
     * nested slice "a-b.slice" is /a.slice/a-b.slice. jrun creates the cgroup directly (it does
     * not ask systemd for a unit), as runc's cgroupfs driver would for that path.
     */
    static String fromSystemdForm(String p) {
        String[] parts = p.split(":", -1);
        if (parts.length != 3 || parts[1].isEmpty() || parts[2].isEmpty()) {
            throw new CgroupException("linux.cgroupsPath \"" + p + "\" is neither a path nor systemd's"
                    + " slice:prefix:name form");
        }
        String slice = parts[0].isEmpty() ? "system.slice" : parts[0];
        if (!slice.endsWith(".slice") || slice.contains("/")) {
            throw new CgroupException("linux.cgroupsPath \"" + p + "\": \"" + slice + "\" is not a systemd slice name");
        }
        StringBuilder path = new StringBuilder();
        if (!slice.equals("-.slice")) {
            String stem = slice.substring(0, slice.length() - ".slice".length());
            String[] words = stem.split("-");
            StringBuilder prefix = new StringBuilder();
            for (String w : words) {
                if (w.isEmpty()) {
                    throw new CgroupException("linux.cgroupsPath \"" + p + "\": invalid slice name " + slice);
                }
                if (!prefix.isEmpty()) prefix.append('-');
                prefix.append(w);
                path.append('/').append(prefix).append(".slice");
            }
        }
        // A name that is itself a slice is used as it is (runc's rule); otherwise prefix-name.scope.
        if (parts[2].endsWith(".slice")) path.append('/').append(parts[2]);
        else path.append('/').append(parts[1]).append('-').append(parts[2]).append(".scope");
        return path.toString();
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
