package dev.jrun.cli.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jrun.cli.it.Bundles.Bundle;
import dev.jrun.runtime.spec.ConfigLoader;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** OCI hooks: order, the state on stdin, where they run, failures and timeouts. */
class HooksTest extends ContainerTestSupport {

    private static final List<String> ALL_KINDS =
            List.of("prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop");

    /** A hook script: save the state JSON from stdin, then append the hook's kind to the shared log. */
    private static String logging(String dir, String kind) {
        return "cat >" + dir + "/" + kind + ".json && echo " + kind + " >>" + dir + "/log";
    }

    @Test
    void allHooksRunInOrderWithTheStateOnStdin() throws IOException {
        Path logDir = hostDir("hook-log");
        Bundle b = newBundle();
        // startContainer runs inside the container after pivot_root: it uses the rootfs' /bin/sh
        // and reaches the same log through a bind mount.
        b.addMount("/hook-log", "bind", logDir.toString(), "bind", "rw");
        for (String kind : ALL_KINDS) {
            String dir = kind.equals("startContainer") ? "/hook-log" : logDir.toString();
            b.addHook(kind, logging(dir, kind), 10);
        }
        b.args("true");
        Container c = create(b);
        jrun.call("start", c.id()).assertOk();
        awaitStatus(c.id(), "stopped", Duration.ofSeconds(10));
        jrun.call("delete", c.id()).assertOk();

        assertEquals(ALL_KINDS, Files.readAllLines(logDir.resolve("log")), "hook order");
        for (String kind : ALL_KINDS) {
            JsonNode state = ConfigLoader.mapper().readTree(logDir.resolve(kind + ".json").toFile());
            assertEquals(c.id(), state.path("id").asText(), kind + " state: " + state);
            assertEquals(b.dir.toString(), state.path("bundle").asText(), kind + " state: " + state);
            assertTrue(state.has("status"), kind + " state has a status: " + state);
            if (!kind.equals("poststop")) { // the spec requires pid while created/running
                assertEquals(c.pid(), state.path("pid").asLong(), kind + " state pid: " + state);
            }
        }
    }

    @Test
    void startContainerHookResolvesItsPathInsideTheContainer() throws IOException {
        Path logDir = hostDir("hook-log");
        Bundle b = newBundle();
        b.addMount("/hook-log", "bind", logDir.toString(), "bind", "rw");
        // /bin/busybox exists only in the rootfs (not on the host): proves the path is resolved inside.
        ObjectNode h = b.hooks().withArray("/startContainer").addObject();
        h.put("path", "/bin/busybox");
        h.putArray("args").add("busybox").add("sh").add("-c").add("hostname >/hook-log/hostname");
        b.config.put("hostname", "hook-host");
        b.args("true");
        String out = runFg(b).assertOk().out();
        assertEquals("", out);
        assertEquals("hook-host\n", Host.read(logDir.resolve("hostname")), "ran in the container's UTS namespace");
    }

    @Test
    void failingCreateRuntimeHookFailsCreate() {
        Bundle b = newBundle();
        b.addHook("createRuntime", "exit 1", null);
        b.args("sleep", "30");
        b.save();
        String id = newId();
        jrun.call("create", "--bundle", b.dir.toString(), id).assertError("createRuntime");
        jrun.call("state", id).assertError("container does not exist");
        // the cleanup asserts that no state, cgroup, mount or init process is left
    }

    @Test
    void hookTimeoutFailsCreate() {
        Bundle b = newBundle();
        // The hook is sleep itself (no shell), with an argument unique to this test so a hook
        // process that survived the timeout can be found.
        String duration = "5." + (100000 + ThreadLocalRandom.current().nextInt(900000));
        ObjectNode h = b.hooks().withArray("/prestart").addObject();
        h.put("path", "/bin/sleep");
        h.putArray("args").add("sleep").add(duration);
        h.put("timeout", 1);
        b.args("sleep", "30");
        b.save();
        String id = newId();

        long t0 = System.nanoTime();
        Jrun.Result r = jrun.call("create", "--bundle", b.dir.toString(), id);
        long millis = (System.nanoTime() - t0) / 1_000_000;
        r.assertError("prestart");
        assertTrue(r.errorText().toLowerCase().contains("timeout") || r.errorText().toLowerCase().contains("timed out"),
                "the error says the hook timed out: " + r);
        assertTrue(millis < 5000, "create gave up at the 1 s timeout, not after the hook's 5 s (took " + millis + " ms)");
        assertTrue(Host.processesMentioning("sleep " + duration).isEmpty(), "the timed-out hook was killed");
    }

    @Test
    void failingCreateContainerHookFailsCreate() {
        Bundle b = newBundle();
        b.addHook("createContainer", "exit 3", null);
        b.args("sleep", "30");
        b.save();
        String id = newId();
        jrun.call("create", "--bundle", b.dir.toString(), id).assertError("createContainer");
        assertNothingLeaked("create with a failing createContainer hook");
    }

    @Test
    void failingStartContainerHookFailsStartAndTheProcessNeverRuns() throws IOException {
        Path logDir = hostDir("hook-log");
        Bundle b = newBundle();
        b.addMount("/hook-log", "bind", logDir.toString(), "bind", "rw");
        b.addHook("startContainer", "exit 3", null);
        b.addHook("poststop", "echo poststop >>" + logDir + "/log", 10);
        b.sh("echo ran >/hook-log/process-ran; sleep 30");
        Container c = create(b);
        jrun.call("start", c.id()).assertError("startContainer");
        // runtime-spec: on a startContainer hook failure the runtime stops the container.
        awaitStatus(c.id(), "stopped", Duration.ofSeconds(10));
        assertFalse(Files.exists(logDir.resolve("process-ran")), "the user process must not run");
        jrun.call("delete", c.id()).assertOk();
        assertEquals(List.of("poststop"), Files.readAllLines(logDir.resolve("log")), "poststop ran at delete");
    }

    @Test
    void poststopRunsWhenARunningContainerIsForceDeleted() throws IOException {
        Path log = tmp.resolve("poststop.log");
        Bundle b = newBundle();
        b.addHook("poststop", "cat >" + log, 10);
        b.args("sleep", "30");
        Container c = runDetached(b);
        jrun.call("delete", "--force", c.id()).assertOk();
        JsonNode state = ConfigLoader.mapper().readTree(log.toFile());
        assertEquals(c.id(), state.path("id").asText(), state.toString());
    }

    @Test
    void startContainerHooksRunWithTheContainersPrivilegesAndCgroup() throws IOException {
        // The hook is a program of the image: it must not get more than the container's process.
        Path logDir = hostDir("hook-log");
        Bundle b = newBundle();
        b.addMount("/hook-log", "bind", logDir.toString(), "bind", "rw");
        String report = "grep -E '^(CapEff|CapBnd|NoNewPrivs):' /proc/self/status > %s; grep '^0::' /proc/self/cgroup >> %s";
        ObjectNode h = b.hooks().withArray("/startContainer").addObject();
        h.put("path", "/bin/sh");
        h.putArray("args").add("sh").add("-c").add(String.format(report, "/hook-log/hook", "/hook-log/hook"));
        b.sh(String.format(report, "/hook-log/process", "/hook-log/process"));
        runFg(b).assertOk();
        String hook = Host.read(logDir.resolve("hook"));
        String process = Host.read(logDir.resolve("process"));
        assertTrue(hook.contains("NoNewPrivs:\t1"), "hook must run with no_new_privs: " + hook);
        assertEquals(process, hook, "the hook's capabilities, no_new_privs and cgroup equal the container process's");
    }

    @Test
    void aStartKilledWhileTheInitWasPastTheFifoLeavesARunningContainer() throws Exception {
        // `start` dies after the init got through the FIFO (here: during a slow startContainer
        // hook). The program runs; jrun must say "running", and a second start must not hang.
        Bundle b = newBundle();
        ObjectNode h = b.hooks().withArray("/startContainer").addObject();
        h.put("path", "/bin/sh");
        h.putArray("args").add("sh").add("-c").add("sleep 2");
        b.args("sleep", "60");
        Container c = create(b);
        Jrun.Started start = jrun.startCall("start", c.id());
        Host.sleep(700); // the init is in the hook now
        start.kill9();
        awaitStatus(c.id(), "running", Duration.ofSeconds(10));
        jrun.call("start", c.id()).assertError("cannot start an already running container");
    }
}
