package dev.jrun.cli.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jrun.cli.it.Bundles.Bundle;
import dev.jrun.runtime.spec.ConfigLoader;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** runc's command-line contract as engines use it: global flags, logs, spec, features, kill forms. */
class CliContractTest extends ContainerTestSupport {

    @Test
    void errorsGoToStderrInLogrusTextFormat() {
        Jrun.Result r = jrun.call("state", "jit-missing").assertError("container does not exist");
        assertTrue(r.err().lines().anyMatch(l -> l.matches("time=\"[^\"]+\" level=error msg=\"container does not exist\"")),
                "logrus text line on stderr: " + r);
        assertEquals("", r.out());
    }

    @Test
    void jsonLogFileReceivesTheError() throws IOException {
        Path log = tmp.resolve("jrun-log.json");
        Jrun.Result r = jrun.callRaw("--root", jrun.root().toString(), "--log", log.toString(), "--log-format", "json",
                "state", "jit-missing");
        assertEquals(1, r.exit(), r.toString());
        List<String> lines = Files.readAllLines(log);
        assertFalse(lines.isEmpty(), "the log file has the error");
        JsonNode last = ConfigLoader.mapper().readTree(lines.get(lines.size() - 1));
        assertEquals("error", last.path("level").asText(), last.toString());
        assertEquals("container does not exist", last.path("msg").asText(), last.toString());
        assertTrue(last.has("time"), last.toString());
    }

    @Test
    void rootFlagAcceptsBothForms() {
        Bundle b = newBundle();
        b.args("sleep", "30");
        b.save();
        String id = newId();
        // --root=DIR for create, --root DIR (the harness's form) for state and list
        jrun.callRaw("--root=" + jrun.root(), "create", "--bundle", b.dir.toString(), id).assertOk();
        track(state(id).path("pid").asLong());
        assertEquals("created", state(id).path("status").asText());
        assertEquals(List.of(id), jrun.callRaw("--root=" + jrun.root(), "list", "-q").assertOk().out().lines().toList());
        // runc lets a created (not yet started) container be killed
        jrun.callRaw("--root=" + jrun.root(), "kill", id, "KILL").assertOk();
        awaitStatus(id, "stopped", Duration.ofSeconds(10));
    }

    @Test
    void specWritesARunnableConfigAndRefusesToOverwrite() throws IOException {
        Bundle b = newBundle();
        String cgroupsPath = b.cgroupsPath();
        Files.delete(b.dir.resolve("config.json"));
        jrun.call("spec", "--bundle", b.dir.toString()).assertOk();

        Bundles.Bundle spec = new Bundles.Bundle(b.dir);
        assertTrue(spec.process().path("terminal").asBoolean(), "runc's default spec has terminal true");
        assertEquals("sh", spec.process().path("args").path(0).asText());
        assertEquals("rootfs", spec.config.path("root").path("path").asText());
        assertTrue(spec.namespaceTypes().containsAll(List.of("pid", "network", "ipc", "uts", "mount")), spec.namespaceTypes().toString());

        spec.process().put("terminal", false);
        spec.sh("echo from-spec; hostname");
        spec.linux().put("cgroupsPath", cgroupsPath); // so the cleanup can check it
        Jrun.Result r = runFg(spec).assertOk();
        assertEquals("from-spec\nrunc\n", r.out());

        String before = Host.read(b.dir.resolve("config.json"));
        jrun.call("spec", "--bundle", b.dir.toString()).assertError("exists");
        assertEquals(before, Host.read(b.dir.resolve("config.json")), "spec must not overwrite config.json");
    }

    @Test
    void featuresAndVersion() {
        JsonNode f = jrun.call("features").assertOk().json();
        List<String> namespaces = f.path("linux").path("namespaces").valueStream().map(JsonNode::asText).toList();
        assertTrue(namespaces.containsAll(List.of("pid", "network", "ipc", "uts", "mount")), "namespaces: " + namespaces);
        List<String> hooks = f.path("hooks").valueStream().map(JsonNode::asText).toList();
        assertTrue(hooks.containsAll(List.of("prestart", "createRuntime", "createContainer", "startContainer",
                "poststart", "poststop")), "hooks: " + hooks);
        assertTrue(f.path("ociVersionMax").asText().startsWith("1."), f.toString());

        String version = jrun.callRaw("--version").assertOk().out();
        assertTrue(version.lines().findFirst().orElse("").startsWith("jrun version "), version);
    }

    @Test
    void killAcceptsSignalNameWithAndWithoutSigPrefixAndNumber() {
        // Three foreground runs at once; each is killed with one form of SIGKILL and must exit 137.
        List<String> forms = List.of("KILL", "SIGKILL", "9");
        List<String> ids = new ArrayList<>();
        List<Jrun.Started> runs = new ArrayList<>();
        for (int i = 0; i < forms.size(); i++) {
            Bundle b = newBundle();
            b.args("sleep", "60");
            b.save();
            String id = newId();
            ids.add(id);
            runs.add(jrun.startCall("run", "--bundle", b.dir.toString(), id));
        }
        for (int i = 0; i < forms.size(); i++) {
            JsonNode s = awaitExists(ids.get(i), "running");
            track(s.path("pid").asLong());
            jrun.call("kill", ids.get(i), forms.get(i)).assertOk();
        }
        for (int i = 0; i < forms.size(); i++) {
            Jrun.Result r = runs.get(i).await(Duration.ofSeconds(30));
            assertEquals(137, r.exit(), "`kill ID " + forms.get(i) + "` → run exits 128+9: " + r);
        }
    }

    @Test
    void killDefaultsToSigtermAndRunForwardsSignals() {
        // PID 1 with a TERM handler: it exits 42 when SIGTERM arrives.
        String script = "trap 'exit 42' TERM; while true; do sleep 1; done";
        Bundle a = newBundle();
        a.sh(script);
        a.save();
        Bundle b = newBundle();
        b.sh(script);
        b.save();
        String idA = newId();
        String idB = newId();
        Jrun.Started runA = jrun.startCall("run", "--bundle", a.dir.toString(), idA);
        Jrun.Started runB = jrun.startCall("run", "--bundle", b.dir.toString(), idB);
        track(awaitExists(idA, "running").path("pid").asLong());
        track(awaitExists(idB, "running").path("pid").asLong());

        jrun.call("kill", idA).assertOk();                          // no signal: SIGTERM
        Host.run("kill", "-TERM", Long.toString(runB.pid())).assertOk(); // to `jrun run` itself: forwarded

        assertEquals(42, runA.await(Duration.ofSeconds(30)).exit(), "`kill ID` sends SIGTERM");
        assertEquals(42, runB.await(Duration.ofSeconds(30)).exit(), "`run` forwards SIGTERM to the container");
    }

    @Test
    void killAllSignalsEveryProcessOfTheContainer() {
        Bundle b = newBundle();
        // PID 1 (sh) ignores SIGTERM (no handler in a namespace init); the sleeps do not. So TERM
        // stops this container only if it reaches every process: that is --all.
        b.sh("sleep 100 & sleep 100 & wait");
        Container c = runDetached(b);
        List<Long> pids = awaitProcessCount(c.id(), 3);

        jrun.call("kill", "--all", c.id(), "TERM").assertOk();
        awaitStatus(c.id(), "stopped", Duration.ofSeconds(10));
        for (long pid : pids) assertFalse(Host.alive(pid), "pid " + pid + " still alive after kill --all");
    }

    /** Polls `state` until the container exists with {@code status} (a foreground run is still starting). */
    private JsonNode awaitExists(String id, String status) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Jrun.Result r;
        do {
            r = jrun.call("state", id);
            if (r.ok() && status.equals(r.json().path("status").asText())) return r.json();
            Host.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("container " + id + " never became " + status + ": " + r);
    }

    /** Polls `ps --format json` until the container has {@code n} processes; returns their pids. */
    private List<Long> awaitProcessCount(String id, int n) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        List<Long> pids;
        do {
            pids = jrun.call("ps", "--format", "json", id).assertOk().json().valueStream().map(JsonNode::asLong).toList();
            if (pids.size() == n) return pids;
            Host.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("expected " + n + " processes in " + id + ", ps shows " + pids);
    }
}
