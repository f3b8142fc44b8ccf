package dev.jrun.cli.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Looks at the host from outside the containers: processes, mounts, cgroups, host commands. */
final class Host {
    /** Where jrun puts a container's cgroup on this (hybrid) host: the cgroup2 hierarchy. */
    static final Path CGROUP2 = Files.isDirectory(Path.of("/sys/fs/cgroup/unified"))
            ? Path.of("/sys/fs/cgroup/unified") : Path.of("/sys/fs/cgroup");

    private Host() {}

    record Cmd(List<String> command, int exit, String out) {
        Cmd assertOk() {
            if (exit != 0) throw new AssertionError("host command failed: " + this);
            return this;
        }

        @Override
        public String toString() {
            return "`" + String.join(" ", command) + "` exit=" + exit + ": " + out;
        }
    }

    /** Runs a host command (stdout+stderr merged into a file), killing it by pid on timeout. */
    static Cmd run(Duration timeout, String... command) {
        try {
            File out = File.createTempFile("jrun-it-host", ".out");
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectInput(new File("/dev/null")).redirectOutput(out).start();
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                    throw new AssertionError("host command timed out: " + Arrays.toString(command));
                }
                return new Cmd(List.of(command), p.exitValue(), Files.readString(out.toPath()));
            } finally {
                out.delete();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static Cmd run(String... command) {
        return run(Duration.ofSeconds(30), command);
    }

    static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) return line.split("\\s+")[1].equals("0");
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /** The cgroup2 directory of an absolute cgroupsPath. */
    static Path cgroupDir(String cgroupsPath) {
        return CGROUP2.resolve(cgroupsPath.replaceFirst("^/+", ""));
    }

    // --- processes ---------------------------------------------------------------------------

    /** A process as seen in /proc; {@code startTime} (clock ticks since boot) tells pid reuse apart. */
    record Proc(long pid, long ppid, char state, long startTime, String cmdline) {
        boolean zombie() {
            return state == 'Z' || state == 'X';
        }
    }

    static Optional<Proc> proc(long pid) {
        Path dir = Path.of("/proc", Long.toString(pid));
        try {
            String stat = Files.readString(dir.resolve("stat"));
            // comm may contain spaces and parentheses: the fields start after the last ')'.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            byte[] raw = Files.readAllBytes(dir.resolve("cmdline"));
            String cmd = new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').trim();
            return Optional.of(new Proc(pid, Long.parseLong(f[1]), f[0].charAt(0), Long.parseLong(f[19]), cmd));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // gone (or going) while we looked
        }
    }

    static List<Proc> processes() {
        List<Proc> all = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path p : ds) proc(Long.parseLong(p.getFileName().toString())).ifPresent(all::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all;
    }

    /** Live (non-zombie) processes whose command line contains {@code fragment}. */
    static List<Proc> processesMentioning(String fragment) {
        return processes().stream().filter(p -> !p.zombie() && p.cmdline().contains(fragment)).toList();
    }

    /** Whether the very process (pid and start time) is still alive and not a zombie. */
    static boolean alive(Proc p) {
        return proc(p.pid()).filter(q -> q.startTime() == p.startTime() && !q.zombie()).isPresent();
    }

    static boolean alive(long pid) {
        return proc(pid).filter(q -> !q.zombie()).isPresent();
    }

    /** The inode of a process's namespace of {@code type} (e.g. "pid"), or null if gone. */
    static String namespaceOf(long pid, String type) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", type)).toString();
        } catch (IOException e) {
            return null;
        }
    }

    /** The inode number of a file (e.g. a bind-mounted namespace file under /var/run/netns). */
    static long inode(String path) {
        try {
            return ((Number) Files.getAttribute(Path.of(path), "unix:ino")).longValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Live processes in the namespace {@code nsLink} (as read by {@link #namespaceOf}). */
    static List<Proc> processesInNamespace(String type, String nsLink) {
        return processes().stream().filter(p -> !p.zombie() && nsLink.equals(namespaceOf(p.pid(), type))).toList();
    }

    static List<Proc> childrenOf(long pid) {
        return processes().stream().filter(p -> p.ppid() == pid).toList();
    }

    static void kill9(long pid) {
        run("kill", "-9", Long.toString(pid));
    }

    // --- mounts --------------------------------------------------------------------------------

    /** Lines of this process's mountinfo whose mount point contains {@code fragment}. */
    static List<String> mountsMentioning(String fragment) {
        try {
            return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                    .filter(l -> mountPoint(l).contains(fragment)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Field 5 of a mountinfo line, with the octal escapes (\040 for a space) decoded. */
    static String mountPoint(String mountinfoLine) {
        String raw = mountinfoLine.split(" ")[4];
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\\' && i + 3 < raw.length()) {
                sb.append((char) Integer.parseInt(raw.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    static boolean isMountPoint(Path p) {
        String abs = p.toAbsolutePath().normalize().toString();
        try {
            return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().anyMatch(l -> mountPoint(l).equals(abs));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
