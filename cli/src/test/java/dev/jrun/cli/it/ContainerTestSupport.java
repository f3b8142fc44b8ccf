package dev.jrun.cli.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jrun.cli.it.Bundles.Bundle;
import dev.jrun.cli.it.Jrun.Result;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Base of the root integration tests. Each test gets a private temp dir under /tmp holding its
 * --root, its bundles and host-side files. Every container a test makes goes through
 * {@link #newId()} and {@link #newBundle()} (unique absolute cgroupsPath /jrun-it/...), so the
 * cleanup can `delete --force` all of them and then assert that nothing leaked: no state under
 * --root, no cgroup, no mount under the temp dir, no process of the test still alive.
 */
@Timeout(120)
abstract class ContainerTestSupport {
    /** All tests put their container cgroups under this parent (removed at the end if empty). */
    static final String CGROUP_PARENT = "/jrun-it";

    protected Path tmp;
    protected Jrun jrun;

    private final List<String> ids = Collections.synchronizedList(new ArrayList<>());
    private final List<String> cgroupPaths = new ArrayList<>();
    private final List<Host.Proc> trackedProcs = Collections.synchronizedList(new ArrayList<>());
    private final List<String> trackedPidNamespaces = Collections.synchronizedList(new ArrayList<>());
    private final List<Runnable> hostCleanups = new ArrayList<>();
    private int bundles;

    @BeforeAll
    static void requireRootHost() {
        assumeFalse(Boolean.getBoolean("jrun.it.skip"), "jrun.it.skip=true");
        assumeTrue(Host.isRoot(), "root integration tests need root");
        assumeTrue(Files.isExecutable(Jrun.executable()), "no jrun executable at " + Jrun.executable());
    }

    @BeforeEach
    void makeTestDirs() throws IOException {
        tmp = Files.createTempDirectory(Path.of("/tmp"), "jrun-it-");
        Files.createDirectories(tmp.resolve("root"));
        Files.createDirectories(tmp.resolve("calls"));
        jrun = new Jrun(tmp.resolve("root"), tmp.resolve("calls"));
    }

    // --- containers --------------------------------------------------------------------------

    /** A fresh container id, remembered for the cleanup. */
    protected String newId() {
        String id = "jit-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        ids.add(id);
        return id;
    }

    /** A private copy of the busybox bundle with a unique absolute cgroupsPath (saved). */
    protected Bundle newBundle() {
        Bundle b = Bundles.copyTo(tmp.resolve("bundle-" + (++bundles)));
        String cg = CGROUP_PARENT + "/" + tmp.getFileName() + "-" + bundles;
        b.linux().put("cgroupsPath", cg);
        cgroupPaths.add(cg);
        b.save();
        return b;
    }

    /** A bundle made elsewhere (e.g. by `jrun image unpack`), given a unique cgroupsPath (saved). */
    protected Bundle adopt(Path dir) {
        Bundle b = new Bundle(dir);
        String cg = CGROUP_PARENT + "/" + tmp.getFileName() + "-" + (++bundles);
        b.linux().put("cgroupsPath", cg);
        cgroupPaths.add(cg);
        b.save();
        return b;
    }

    /** `jrun run -b BUNDLE ID` in the foreground with a new id (the bundle is saved first). */
    protected Result runFg(Bundle b, String... flags) {
        b.save();
        String id = newId();
        List<String> args = new ArrayList<>(List.of("run", "--bundle", b.dir.toString()));
        args.addAll(List.of(flags));
        args.add(id);
        return jrun.call(args.toArray(String[]::new));
    }

    /** Runs {@code sh -c script} in the bundle and returns its stdout; it must exit 0. */
    protected String shOut(Bundle b, String script) {
        b.sh(script);
        return runFg(b).assertOk().out();
    }

    /** A created (or running) container: its id and the pid of its init / process. */
    protected record Container(String id, long pid) {}

    /** `jrun create --pid-file` with a new id; asserts success and tracks the init for leak checks. */
    protected Container create(Bundle b, String... flags) {
        return createOrRunDetached(b, List.of("create"), flags);
    }

    /** `jrun run -d --pid-file` with a new id (create + start in one call). */
    protected Container runDetached(Bundle b, String... flags) {
        return createOrRunDetached(b, List.of("run", "--detach"), flags);
    }

    private Container createOrRunDetached(Bundle b, List<String> command, String... flags) {
        b.save();
        String id = newId();
        Path pidFile = tmp.resolve(id + ".pid");
        List<String> args = new ArrayList<>(command);
        args.addAll(List.of("--bundle", b.dir.toString(), "--pid-file", pidFile.toString()));
        args.addAll(List.of(flags));
        args.add(id);
        jrun.call(args.toArray(String[]::new)).assertOk();
        long pid = Long.parseLong(Host.read(pidFile).trim());
        track(pid);
        return new Container(id, pid);
    }

    /** Also check (and clean up) this absolute cgroup path, for tests that set cgroupsPath themselves. */
    protected void trackCgroup(String absolutePath) {
        cgroupPaths.add(absolutePath);
    }

    /** Remembers a container process so the cleanup can check that it, and its PID namespace, died. */
    protected void track(long pid) {
        Host.proc(pid).ifPresent(trackedProcs::add);
        String ns = Host.namespaceOf(pid, "pid");
        if (ns != null && !ns.equals(Host.namespaceOf(ProcessHandle.current().pid(), "pid"))) {
            trackedPidNamespaces.add(ns);
        }
    }

    protected JsonNode state(String id) {
        return jrun.call("state", id).assertOk().json();
    }

    /** Polls `state` until the status is {@code status}; fails with the last state after {@code within}. */
    protected JsonNode awaitStatus(String id, String status, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        JsonNode s;
        while (true) {
            s = state(id);
            if (status.equals(s.path("status").asText())) return s;
            if (System.nanoTime() > deadline) break;
            Host.sleep(200);
        }
        throw new AssertionError("container " + id + " did not reach status " + status + " within " + within + ": " + s);
    }

    /** A host-side action for the cleanup (e.g. deleting a network namespace the test made). */
    protected void onCleanup(Runnable r) {
        hostCleanups.add(r);
    }

    /** A fresh directory under this test's temp dir (host side, e.g. a bind-mount source). */
    protected Path hostDir(String name) {
        try {
            return Files.createDirectories(tmp.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // --- cleanup and leak checks -------------------------------------------------------------

    @AfterEach
    void deleteContainersAndCheckLeaks() {
        if (jrun == null) return;
        List<String> problems = new ArrayList<>();
        try {
            for (Jrun.Started s : jrun.killStragglers()) {
                problems.add("a jrun call was still running at the end of the test (killed pid " + s.pid() + "): "
                        + String.join(" ", s.command));
            }
            for (String id : List.copyOf(ids)) {
                Result r = jrun.call("delete", "--force", id);
                // runc: delete --force of a container that does not exist succeeds silently.
                if (!r.ok() && !r.errorText().contains("container does not exist")) {
                    problems.add("cleanup `delete --force " + id + "` failed: " + r);
                }
            }
            // The test's own host-side set-up goes before the checks (e.g. a mount it made itself).
            runHostCleanups(problems);
            problems.addAll(leaks());
        } finally {
            runHostCleanups(problems);
            repairLeaks();
            if (Host.mountsMentioning(tmp.toString()).isEmpty()) {
                // --one-file-system: never recurse through a mount (it could be a bind of a host dir).
                Host.run("rm", "-rf", "--one-file-system", tmp.toString());
            }
        }
        assertTrue(problems.isEmpty(), "after deleting the test's containers:\n - " + String.join("\n - ", problems));
    }

    private void runHostCleanups(List<String> problems) {
        List<Runnable> todo = List.copyOf(hostCleanups);
        hostCleanups.clear();
        for (Runnable r : todo) {
            try {
                r.run();
            } catch (RuntimeException e) {
                problems.add("host cleanup failed: " + e);
            }
        }
    }

    /**
     * Asserts right now (without deleting anything first) that the test's containers left
     * nothing behind: for a create that failed, jrun itself must have undone everything.
     */
    protected void assertNothingLeaked(String after) {
        List<String> l = leaks();
        assertTrue(l.isEmpty(), "after " + after + ":\n - " + String.join("\n - ", l));
    }

    /** Everything the test's containers left behind, one line per problem. */
    private List<String> leaks() {
        List<String> leaks = new ArrayList<>();
        try (Stream<Path> s = Files.list(jrun.root())) {
            s.forEach(p -> leaks.add("state left under --root: " + p));
        } catch (IOException e) {
            leaks.add("cannot list --root: " + e);
        }
        for (String cg : cgroupPaths) {
            if (Files.exists(Host.cgroupDir(cg))) leaks.add("cgroup left: " + Host.cgroupDir(cg));
        }
        for (String line : Host.mountsMentioning(tmp.toString())) leaks.add("mount left: " + line);
        // Processes may need a moment to be reaped after their cgroup was killed.
        List<String> procs = List.of();
        for (int i = 0; i < 15; i++) {
            procs = leakedProcesses();
            if (procs.isEmpty()) break;
            Host.sleep(200);
        }
        leaks.addAll(procs);
        return leaks;
    }

    private List<String> leakedProcesses() {
        List<String> leaks = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        for (Host.Proc p : Host.processes()) {
            if (p.zombie() || p.pid() == self) continue;
            boolean mentions = p.cmdline().contains(tmp.toString());
            for (String id : List.copyOf(ids)) mentions |= p.cmdline().contains(id);
            if (mentions) leaks.add("process left (mentions the test's bundle or id): " + p);
        }
        for (Host.Proc p : List.copyOf(trackedProcs)) {
            if (Host.alive(p)) leaks.add("container process left: " + p);
        }
        for (String ns : List.copyOf(trackedPidNamespaces)) {
            for (Host.Proc p : Host.processesInNamespace("pid", ns)) {
                leaks.add("process left in the container's PID namespace " + ns + ": " + p);
            }
        }
        return leaks;
    }

    /** Best effort, so one broken test does not break the next ones: kill, remove, unmount. */
    private void repairLeaks() {
        long self = ProcessHandle.current().pid();
        for (Host.Proc p : Host.processes()) {
            boolean ours = p.cmdline().contains(tmp.toString());
            for (String id : List.copyOf(ids)) ours |= p.cmdline().contains(id);
            if (ours && p.pid() != self && !p.zombie()) Host.kill9(p.pid());
        }
        for (Host.Proc p : List.copyOf(trackedProcs)) if (Host.alive(p)) Host.kill9(p.pid());
        for (String ns : List.copyOf(trackedPidNamespaces)) {
            for (Host.Proc p : Host.processesInNamespace("pid", ns)) Host.kill9(p.pid());
        }
        for (String cg : cgroupPaths) {
            Path dir = Host.cgroupDir(cg);
            if (!Files.exists(dir)) continue;
            try {
                Files.writeString(dir.resolve("cgroup.kill"), "1");
            } catch (IOException ignored) {
                // not supported or already gone
            }
            for (int i = 0; i < 20 && Files.exists(dir); i++) {
                try {
                    Files.delete(dir);
                } catch (IOException e) {
                    Host.sleep(100);
                }
            }
        }
        List<String> mounts = new ArrayList<>(Host.mountsMentioning(tmp.toString()));
        Collections.reverse(mounts); // deepest (latest) first
        for (String line : mounts) Host.run("umount", "-l", Host.mountPoint(line));
    }

    @AfterAll
    static void removeCgroupParentIfEmpty() {
        Path parent = Host.cgroupDir(CGROUP_PARENT);
        try {
            Files.deleteIfExists(parent); // rmdir: fails while another test's cgroup is inside
        } catch (IOException ignored) {
            // not empty (a leak is reported by the test that made it) or in use
        }
    }

    // --- small assertion helpers ------------------------------------------------------------

    /** The value of {@code key=value} / {@code key: value} lines printed by a container script. */
    protected static String field(String output, String key) {
        for (String line : output.split("\n")) {
            if (line.startsWith(key + "=")) return line.substring(key.length() + 1).trim();
        }
        throw new AssertionError("no line '" + key + "=...' in output:\n" + output);
    }

    protected static void assertField(String output, String key, String expected) {
        assertEquals(expected, field(output, key), key + " in:\n" + output);
    }
}
