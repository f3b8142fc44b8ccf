package dev.jrun.image.registry;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Debian's docker-registry on 127.0.0.1, started and stopped by test-images/registry (stopped
 * by its pid), with content pushed by skopeo. Closing stops it, checks the process is gone and
 * removes its folder.
 */
final class TestRegistry implements AutoCloseable {
    final Path dir;
    final int port;
    /** The CA (DIR/certs/ca.crt) with --tls, else null. */
    final Path ca;
    private final long pid;

    private TestRegistry(Path dir, int port, Path ca, long pid) {
        this.dir = dir;
        this.port = port;
        this.ca = ca;
        this.pid = pid;
    }

    /** Starts a registry in a fresh temp folder; flags as the script takes them (--tls, --htpasswd U:P, --token ...). */
    static TestRegistry start(String... flags) throws IOException {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "jrun-test-registry-");
        List<String> cmd = new ArrayList<>(List.of("bash", script().toString(), "start", dir.toString()));
        cmd.addAll(List.of(flags));
        String out;
        try {
            out = run(Duration.ofMinutes(3), cmd.toArray(String[]::new));
        } catch (AssertionError e) {
            deleteTree(dir);
            throw e;
        }
        Map<String, String> kv = new HashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) kv.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
        }
        String ca = kv.get("ca");
        long pid = Long.parseLong(Files.readString(dir.resolve("pid")).trim());
        return new TestRegistry(dir, Integer.parseInt(kv.get("port")), ca == null || ca.isEmpty() ? null : Path.of(ca), pid);
    }

    String host() {
        return "127.0.0.1:" + port;
    }

    /** The folder a --cert-dir names: DIR/certs, holding only ca.crt. */
    Path certDir() {
        return ca.getParent();
    }

    /** skopeo copy [--all] oci:LAYOUT:latest docker://HOST/REPO:TAG, with extra skopeo flags (--dest-creds ...). */
    void push(Path layout, String repoTag, String... flags) {
        List<String> cmd = new ArrayList<>(List.of("skopeo", "copy", "--quiet", "--retry-times", "0"));
        cmd.addAll(List.of(flags));
        if (ca == null) cmd.add("--dest-tls-verify=false");
        else cmd.addAll(List.of("--dest-cert-dir", certDir().toString()));
        cmd.add("oci:" + layout + ":latest");
        cmd.add("docker://" + host() + "/" + repoTag);
        run(Duration.ofMinutes(2), cmd.toArray(String[]::new));
    }

    @Override
    public void close() throws IOException {
        run(Duration.ofMinutes(1), "bash", script().toString(), "stop", dir.toString());
        assertFalse(running(pid), "registry pid " + pid + " still runs");
        deleteTree(dir);
    }

    /** Whether {@code pid} runs; a zombie waiting for whoever adopted it to reap it does not. */
    static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    static Path script() {
        String repo = System.getProperty("jrun.repo");
        if (repo != null && Files.isRegularFile(Path.of(repo, "test-images", "registry"))) return Path.of(repo, "test-images", "registry");
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path s = p.resolve("test-images").resolve("registry");
            if (Files.isRegularFile(s)) return s;
        }
        throw new AssertionError("test-images/registry not found above " + Path.of("").toAbsolutePath());
    }

    /** Runs a command (stdout and stderr into one file); fails with its output unless it exits 0. */
    static String run(Duration timeout, String... command) {
        try {
            File out = File.createTempFile("jrun-test-cmd", ".out");
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectInput(new File("/dev/null")).redirectOutput(out).start();
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                    throw new AssertionError("timed out: " + String.join(" ", command));
                }
                String text = Files.readString(out.toPath());
                if (p.exitValue() != 0)
                    throw new AssertionError("`" + String.join(" ", command) + "` exited " + p.exitValue() + ":\n" + text);
                return text;
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

    /** Closes every one (nulls skipped), even when an earlier one fails; then deletes {@code dir}. */
    static void closeAll(Path dir, AutoCloseable... all) throws Exception {
        Exception first = null;
        for (AutoCloseable c : all) {
            try {
                if (c != null) c.close();
            } catch (Exception e) {
                if (first == null) first = e;
                else first.addSuppressed(e);
            }
        }
        if (dir != null) deleteTree(dir);
        if (first != null) throw first;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
