package dev.jrun.runtime.init;

import dev.jrun.linux.Creds;
import dev.jrun.linux.Libc;
import dev.jrun.runtime.JrunException;
import dev.jrun.runtime.spec.Capabilities;
import dev.jrun.runtime.spec.CapabilityNames;
import dev.jrun.runtime.spec.Process;
import dev.jrun.runtime.spec.Rlimit;
import dev.jrun.runtime.spec.RlimitNames;
import dev.jrun.runtime.spec.User;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The last steps on the thread that calls execve, in runc's order: rlimits, umask, working
 * directory, bounding set, user and groups (keeping capabilities across the uid change), the
 * capability sets, ambient capabilities, no_new_privs, and execve. Credentials change through raw
 * syscalls, so only this thread changes; execve then ends every other JVM thread.
 */
final class ProcessFinisher {
    private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final Process process;

    ProcessFinisher(Process process) {
        this.process = process;
    }

    /**
     * Finds the executable the way execvp would, with the container's PATH. Runs after pivot_root
     * so a missing program fails `create`, naming the program.
     */
    String resolveExecutable() {
        String name = process.args().get(0);
        if (name.contains("/")) {
            Path p = Path.of(cwd()).resolve(name);
            if (!Files.exists(p)) {
                throw new JrunException("exec: \"" + name + "\": stat " + name + ": no such file or directory");
            }
            if (Files.isDirectory(p)) throw new JrunException("exec: \"" + name + "\": is a directory");
            return p.toString();
        }
        for (String dir : envValue("PATH", DEFAULT_PATH).split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir).resolve(name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return p.toString();
        }
        throw new JrunException("exec: \"" + name + "\": executable file not found in $PATH");
    }

    String cwd() {
        return process.cwd() == null || process.cwd().isEmpty() ? "/" : process.cwd();
    }

    private String envValue(String key, String dflt) {
        if (process.env() != null) {
            for (String e : process.env()) {
                if (e.startsWith(key + "=")) return e.substring(key.length() + 1);
            }
        }
        return dflt;
    }

    /** The environment for execve: the config's, plus HOME from /etc/passwd when missing (as runc). */
    List<String> environment() {
        List<String> env = new ArrayList<>(process.env() == null ? List.of() : process.env());
        if (env.stream().noneMatch(e -> e.startsWith("HOME="))) {
            env.add("HOME=" + homeOf(process.user() == null ? 0 : process.user().uid()));
        }
        return env;
    }

    private static String homeOf(long uid) {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
                String[] f = line.split(":");
                if (f.length >= 6 && f[2].equals(Long.toString(uid))) return f[5];
            }
        } catch (IOException | RuntimeException e) {
            // no passwd file in the image: fall back like runc
        }
        return "/";
    }

    /** RLIMIT_DATA, RLIMIT_STACK, RLIMIT_AS: limits the init's own JVM could not live under. */
    private static boolean memoryLimit(int resource) {
        return resource == 2 || resource == 3 || resource == 9;
    }

    /**
     * All rlimits but the memory ones, before the init reports ready: a limit the kernel refuses
     * fails `create`, as in runc, and the rest of the init's work is cheap under them.
     */
    void applyRlimitsEarly() {
        applyRlimits(false);
    }

    /** The memory rlimits, just before execve. */
    void applyMemoryRlimits() {
        applyRlimits(true);
    }

    private void applyRlimits(boolean memory) {
        if (process.rlimits() == null) return;
        for (Rlimit r : process.rlimits()) {
            int resource = RlimitNames.number(r.type());
            if (memoryLimit(resource) != memory) continue;
            try {
                Libc.setrlimit(resource, r.soft(), r.hard());
            } catch (dev.jrun.linux.LinuxException e) {
                throw new JrunException("cannot set process.rlimits " + r.type() + " (soft "
                        + Long.toUnsignedString(r.soft()) + ", hard " + Long.toUnsignedString(r.hard()) + "): "
                        + dev.jrun.linux.Errno.name(e.errno()) + " (" + dev.jrun.linux.Errno.describe(e.errno()) + ")", e);
            }
        }
    }

    void applyUmask() {
        User u = process.user();
        Libc.umask(u != null && u.umask() != null ? u.umask() : 022);
    }

    void changeDirectory() {
        try {
            Libc.chdir(cwd());
        } catch (dev.jrun.linux.LinuxException e) {
            throw new JrunException("cannot change to the working directory " + cwd() + ": " + e.getMessage(), e);
        }
    }

    /** Bounding set, uid/gid/groups, capability sets and ambient set of this thread. */
    void applyCredentials() {
        Capabilities caps = process.capabilities();
        int last = Creds.lastCap();
        long bounding = mask(caps == null ? null : caps.bounding());
        for (int c = 0; c <= last; c++) {
            if ((bounding & (1L << c)) == 0) Libc.prctl(Libc.PR_CAPBSET_DROP, c, 0, 0, 0);
        }
        User u = process.user();
        long uid = u == null ? 0 : u.uid();
        long gid = u == null ? 0 : u.gid();
        Libc.prctl(Libc.PR_SET_KEEPCAPS, 1, 0, 0, 0);
        Creds.setgroups(u == null || u.additionalGids() == null ? List.of() : u.additionalGids());
        Creds.setresgid(gid);
        Creds.setresuid(uid);
        Libc.prctl(Libc.PR_SET_KEEPCAPS, 0, 0, 0, 0);
        Creds.capset(new Creds.CapSets(mask(caps == null ? null : caps.effective()),
                mask(caps == null ? null : caps.permitted()), mask(caps == null ? null : caps.inheritable())));
        Libc.prctl(Libc.PR_CAP_AMBIENT, Libc.PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
        if (caps != null && caps.ambient() != null) {
            // The kernel raises an ambient capability only if it is permitted and inheritable;
            // like runc, the others are skipped (runc's default spec lists ambient caps that
            // are not inheritable).
            long allowed = mask(caps.permitted()) & mask(caps.inheritable());
            for (String name : caps.ambient()) {
                int c = CapabilityNames.number(name);
                if (c <= Creds.lastCap() && (allowed & (1L << c)) != 0) {
                    Libc.prctl(Libc.PR_CAP_AMBIENT, Libc.PR_CAP_AMBIENT_RAISE, c, 0, 0);
                }
            }
        }
        if (Boolean.TRUE.equals(process.noNewPrivileges())) {
            Libc.prctl(Libc.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
        }
    }

    private static long mask(List<String> names) {
        long m = 0;
        if (names == null) return 0;
        for (String n : names) {
            int c = CapabilityNames.number(n);
            if (c <= Creds.lastCap()) m |= 1L << c;
        }
        return m;
    }
}
