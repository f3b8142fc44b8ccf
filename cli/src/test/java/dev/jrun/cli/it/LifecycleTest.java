package dev.jrun.cli.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jrun.cli.it.Bundles.Bundle;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runc lifecycle: run's exit status, create/start/state/list/ps/kill/delete. */
class LifecycleTest extends ContainerTestSupport {

    @Test
    void runReturnsTheContainersExitStatus() {
        Bundle b = newBundle();

        b.args("/bin/true");
        assertEquals(0, runFg(b).assertOk().exit());

        b.sh("exit 7");
        assertEquals(7, runFg(b).exit(), "exit status of `sh -c 'exit 7'`");
    }

    @Test
    void runReturns128PlusSignalWhenTheProcessIsKilled() {
        // PID 1 of a PID namespace cannot SIGKILL itself (the kernel drops signals with a default
        // action sent to a namespace init from inside), so this container shares the host's PID
        // namespace: there `kill -9 $$` really kills the container's process.
        Bundle b = newBundle();
        b.linux().withArray("/namespaces").removeIf(n -> n.path("type").asText().equals("pid"));
        b.sh("kill -9 $$; exit 3");
        Jrun.Result r = runFg(b);
        assertEquals(137, r.exit(), "128 + SIGKILL: " + r);
    }

    @Test
    void createStartKillDeleteWalksThroughTheStates() {
        Bundle b = newBundle();
        b.args("sleep", "30");
        b.config.putObject("annotations").put("it.jrun.dev/key", "value");
        Container c = create(b);

        // created: the pid from --pid-file is the live init, waiting for `start`
        JsonNode s = state(c.id());
        assertEquals("created", s.path("status").asText(), s.toString());
        assertEquals(c.pid(), s.path("pid").asLong(), "state pid vs --pid-file: " + s);
        assertEquals(c.id(), s.path("id").asText());
        assertEquals(b.dir.toString(), s.path("bundle").asText());
        assertEquals(b.rootfs().toString(), s.path("rootfs").asText());
        Instant created = Instant.parse(s.path("created").asText()); // RFC 3339, as runc writes it
        assertTrue(Duration.between(created, Instant.now()).abs().toMinutes() < 5, "created is now-ish: " + s);
        assertTrue(s.path("ociVersion").asText().startsWith("1."), s.toString());
        assertEquals("value", s.path("annotations").path("it.jrun.dev/key").asText(), "annotations in state: " + s);
        assertTrue(Host.alive(c.pid()), "init pid " + c.pid() + " must be alive after create");
        // The cgroup is made at create, with the init in it once it runs; it exists already.
        assertTrue(Files.isDirectory(Host.cgroupDir(b.cgroupsPath())), "cgroup " + b.cgroupsPath());

        jrun.call("start", c.id()).assertOk();
        s = state(c.id());
        assertEquals("running", s.path("status").asText(), s.toString());
        assertEquals(c.pid(), s.path("pid").asLong());
        assertTrue(Host.proc(c.pid()).orElseThrow().cmdline().startsWith("sleep 30"),
                "after start the init has exec'd the process: " + Host.proc(c.pid()));
        assertTrue(Host.read(Host.cgroupDir(b.cgroupsPath()).resolve("cgroup.procs")).lines()
                .anyMatch(l -> l.equals(Long.toString(c.pid()))), "the process is in the container's cgroup");
        // The container's mounts live in its own mount namespace: none propagates to the host.
        assertEquals(List.of(), Host.mountsMentioning(b.dir.toString()), "container mounts visible on the host");

        // list (table and JSON) and ps agree
        String table = jrun.call("list").assertOk().out();
        assertTrue(table.lines().findFirst().orElse("").startsWith("ID"), "table header: " + table);
        assertTrue(table.lines().anyMatch(l -> l.matches(c.id() + "\\s+" + c.pid() + "\\s+running\\s+.*")),
                "list shows the container running:\n" + table);
        JsonNode list = jrun.call("list", "--format", "json").assertOk().json();
        assertTrue(list.isArray(), list.toString());
        JsonNode mine = list.valueStream().filter(n -> n.path("id").asText().equals(c.id())).findFirst()
                .orElseThrow(() -> new AssertionError("list --format json misses " + c.id() + ": " + list));
        assertEquals("running", mine.path("status").asText());
        assertEquals(c.pid(), mine.path("pid").asLong());
        assertEquals(List.of(c.id()), jrun.call("list", "-q").assertOk().out().lines().toList(), "list -q");
        JsonNode ps = jrun.call("ps", "--format", "json", c.id()).assertOk().json();
        assertTrue(ps.isArray() && ps.valueStream().anyMatch(p -> p.asLong() == c.pid()), "ps --format json: " + ps);
        String psTable = jrun.call("ps", c.id()).assertOk().out(); // runc: `ps -ef` of the container's pids
        assertTrue(psTable.lines().findFirst().orElse("").matches("UID\\s+PID\\s+PPID.*CMD"), "ps header: " + psTable);
        assertTrue(psTable.lines().anyMatch(l -> l.matches("\\S+\\s+" + c.pid() + "\\s.*sleep 30")), "ps lists the init: " + psTable);

        jrun.call("kill", c.id(), "SIGKILL").assertOk();
        awaitStatus(c.id(), "stopped", Duration.ofSeconds(10));
        assertFalse(Host.alive(c.pid()), "the init is dead once stopped");
        assertTrue(jrun.call("list").assertOk().out().lines().anyMatch(l -> l.matches(c.id() + "\\s+0\\s+stopped\\s+.*")),
                "list shows it stopped with pid 0 (runc)");

        jrun.call("delete", c.id()).assertOk();
        jrun.call("state", c.id()).assertError("container does not exist");
        assertFalse(Files.exists(Host.cgroupDir(b.cgroupsPath())), "delete removes the cgroup");
    }

    @Test
    void createdContainerWritesToTheStdioCreateWasGiven() {
        // Engines hand their FIFOs to `create`; the process started later by `start` writes there.
        Bundle b = newBundle();
        b.sh("echo to-stdout; echo to-stderr >&2");
        b.save();
        String id = newId();
        Jrun.Started create = jrun.startCall("create", "--bundle", b.dir.toString(), id);
        create.await(Jrun.TIMEOUT).assertOk();
        jrun.call("start", id).assertOk();
        awaitStatus(id, "stopped", Duration.ofSeconds(10));
        assertEquals("to-stdout\n", create.stdoutNow());
        assertTrue(create.stderrNow().contains("to-stderr\n"), "stderr of create: " + create.stderrNow());
        jrun.call("delete", id).assertOk();
    }

    @Test
    void relativeCgroupsPathIsUnderJrunsOwnCgroup() {
        // jrun runs in the same cgroup2 group as this test JVM (its child); a relative
        // cgroupsPath goes below that group.
        String own = Host.read(Path.of("/proc/self/cgroup")).lines().filter(l -> l.startsWith("0::"))
                .map(l -> l.substring(3)).findFirst().orElseThrow();
        Bundle b = newBundle();
        String relative = "jrun-it-rel-" + b.dir.getParent().getFileName();
        b.linux().put("cgroupsPath", relative);
        String expected = (own.equals("/") ? "" : own) + "/" + relative;
        trackCgroup(expected);
        b.args("sleep", "30");
        Container c = runDetached(b);
        Path dir = Host.cgroupDir(expected);
        assertTrue(Files.isDirectory(dir), "cgroup at " + dir);
        assertTrue(Host.read(dir.resolve("cgroup.procs")).lines().anyMatch(l -> l.equals(Long.toString(c.pid()))),
                "the container's process is in " + dir);
    }
}
