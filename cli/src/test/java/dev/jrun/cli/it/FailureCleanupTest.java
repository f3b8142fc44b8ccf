package dev.jrun.cli.it;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jrun.cli.it.Bundles.Bundle;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every way create can fail: a clear error (exit 1) and nothing left behind (state, cgroup,
 * mounts, processes), checked right after the failure, before any delete.
 */
class FailureCleanupTest extends ContainerTestSupport {

    /** Creates with a bundle broken by {@code breakIt}; asserts the error and that nothing leaked. */
    private Jrun.Result createFails(Consumer<Bundle> breakIt, String... messageFragments) {
        Bundle b = newBundle();
        b.args("sleep", "30");
        breakIt.accept(b);
        String id = newId();
        Jrun.Result r = jrun.call("create", "--bundle", b.dir.toString(), id).assertError(messageFragments);
        assertFalse(r.err().contains("\tat dev.jrun"), "no stack trace for a config error: " + r);
        jrun.call("state", id).assertError("container does not exist");
        assertNothingLeaked("the failed create " + r.command());
        return r;
    }

    private static Consumer<Bundle> writeConfig(String text) {
        return b -> {
            try {
                Files.writeString(b.dir.resolve("config.json"), text);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        };
    }

    @Test
    void malformedJsonNamesFileAndLine() {
        Jrun.Result r = createFails(b -> {
            b.save();
            writeConfig("{\n  \"ociVersion\": \"1.0.2\",\n  \"process\": {,\n}\n").accept(b);
        }, "config.json");
        assertTrue(r.errorText().matches("(?s).*(line 3|:3:).*"), "the error names line 3: " + r.errorText());
    }

    @Test
    void wrongTypeNamesTheJsonPath() {
        Jrun.Result r = createFails(b -> {
            b.process().put("args", "sleep 30"); // a string where the spec wants an array of strings
            b.save();
        }, "config.json", "process.args");
        assertTrue(r.errorText().contains("array"), "says what was expected: " + r.errorText());
    }

    @Test
    void missingRootfsIsReported() {
        createFails(b -> {
            b.config.withObject("/root").put("path", "no-such-rootfs");
            b.save();
        }, "rootfs", "no-such-rootfs");
    }

    @Test
    void unknownFilesystemTypeIsReportedAndUndone() {
        // The failing mount comes after others that succeed: those must be undone too.
        createFails(b -> {
            b.addMount("/mnt/ok", "tmpfs", "tmpfs", "size=1m");
            b.addMount("/mnt/bad", "no-such-fs-type", "none");
            b.save();
        }, "no-such-fs-type", "/mnt/bad");
    }

    @Test
    void bindMountOfAMissingSourceIsReported() {
        Path missing = tmp.resolve("no-such-source");
        createFails(b -> {
            b.addMount("/mnt/src", "bind", missing.toString(), "bind");
            b.save();
        }, missing.toString());
    }

    @Test
    void mountOverProcSubdirectoryIsRefused() {
        // A tmpfs over /proc/sys would hide the read-only /proc/sys of the default spec (runc
        // refuses mounts inside /proc except a short list of files).
        createFails(b -> {
            b.addMount("/proc/sys", "tmpfs", "tmpfs", "size=1m");
            b.save();
        }, "/proc");
    }

    @Test
    void hostSettingsWithoutTheirOwnNamespaceAreRefused() {
        // Without a UTS/network namespace these would change the host's hostname or sysctl.
        String hostname = Host.read(Path.of("/proc/sys/kernel/hostname"));
        createFails(b -> {
            b.linux().withArray("/namespaces").removeIf(n -> n.path("type").asText().equals("uts"));
            b.config.put("hostname", "jit-must-not-leak");
            b.save();
        }, "hostname");
        assertEquals(hostname, Host.read(Path.of("/proc/sys/kernel/hostname")), "host hostname unchanged");
        createFails(b -> {
            b.linux().withArray("/namespaces").removeIf(n -> n.path("type").asText().equals("network"));
            b.linux().withObject("/sysctl").put("net.ipv4.ip_forward", "1");
            b.save();
        }, "net.ipv4.ip_forward");
    }

    @Test
    void deleteForceRemovesAStoppedContainerWithEscapedChildren() {
        // A SIGSTOPped init, plus a child in its own session: delete --force must still remove all.
        Bundle b = newBundle();
        b.sh("setsid sleep 300 & sleep 300 & wait");
        Container c = runDetached(b);
        jrun.call("kill", c.id(), "STOP").assertOk();
        jrun.call("delete", "--force", c.id()).assertOk();
        jrun.call("state", c.id()).assertError("container does not exist");
        // the cleanup asserts that no process of the container's PID namespace is left
    }

    @Test
    void unsupportedFeaturesAreRefusedClearly() {
        // This hybrid host has no memory or pids controller in cgroup v2: refusing is right,
        // running unlimited is not.
        createFails(b -> {
            b.linux().withObject("/resources").withObject("/memory").put("limit", 64L << 20);
            b.save();
        }, "memory", "controller is not available");
        createFails(b -> { // podman sets a pids limit by default: it must not be silently ignored
            b.linux().withObject("/resources").withObject("/pids").put("limit", 100);
            b.save();
        }, "pids", "controller is not available");
        createFails(b -> {
            b.process().put("terminal", true);
            b.save();
        }, "terminal");
        createFails(b -> {
            b.namespace("user", null);
            b.save();
        }, "user namespace");
    }

    @Test
    void deleteForceCleansUpAfterCreateWasKilledMidway() throws IOException {
        Path started = tmp.resolve("hook-started");
        Bundle b = newBundle();
        b.args("sleep", "30");
        // The createRuntime hook signals that it runs, then blocks create (it runs after the init
        // has built the rootfs mounts, so there is a lot to clean up). exec: the hook is `sleep`.
        ObjectNode hook = b.addHook("createRuntime", "touch \"$STARTED\"; exec sleep 30", 60);
        hook.withArray("/env").add("STARTED=" + started);
        b.save();
        String id = newId();
        Jrun.Started create = jrun.startCall("create", "--bundle", b.dir.toString(), id);

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<Host.Proc> children = List.of();
        while (System.nanoTime() < deadline) {
            children = Host.childrenOf(create.pid());
            if (Files.exists(started) && children.stream().anyMatch(p -> p.cmdline().equals("sleep 30"))) break;
            assertTrue(create.process.isAlive(), () -> "create ended early: " + create.await(Duration.ofSeconds(1)));
            Host.sleep(100);
        }
        assertTrue(Files.exists(started), "the createRuntime hook never ran");
        List<Host.Proc> hooks = new ArrayList<>();
        for (Host.Proc p : children) {
            if (p.cmdline().equals("sleep 30")) hooks.add(p); // the hook: delete --force must end it too
            else track(p.pid());                            // the init: must be gone after delete --force
        }
        assertEquals(1, children.size() - hooks.size(), "jrun create has exactly one init child: " + children);
        onCleanup(() -> hooks.forEach(h -> {
            if (Host.alive(h)) Host.kill9(h.pid());
        }));

        create.kill9(); // SIGKILL to the jrun java process (by its pid)

        jrun.call("delete", "--force", id).assertOk();
        jrun.call("state", id).assertError("container does not exist");
        // jrun recorded the running hook (ROOT/ID/hook.pid) and killed its process group
        long hookDeadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (hooks.stream().anyMatch(Host::alive) && System.nanoTime() < hookDeadline) Host.sleep(50);
        assertTrue(hooks.stream().noneMatch(Host::alive), "the createRuntime hook outlived delete --force: " + hooks);
        // the cleanup asserts that the init, its PID namespace, cgroup, mounts and state are gone
    }

    @Test
    void aCgroupThatAlreadyHasProcessesIsRefusedAndKeepsThem() throws Exception {
        // kill --all / delete --force would otherwise hit processes that are not the container's.
        Bundle b = newBundle();
        String cg = b.linux().path("cgroupsPath").asText();
        Path dir = Files.createDirectories(Host.cgroupDir(cg));
        Process stranger = new ProcessBuilder("sleep", "60").start();
        onCleanup(() -> {
            stranger.destroyForcibly();
            try {
                stranger.waitFor();
                Files.deleteIfExists(dir);
            } catch (Exception ignored) {
                // the leak check reports what is left
            }
        });
        Files.writeString(dir.resolve("cgroup.procs"), Long.toString(stranger.pid()));
        jrun.call("create", "--bundle", b.dir.toString(), newId()).assertError("is not empty");
        assertTrue(stranger.isAlive(), "the process already in the cgroup was left alone");
        assertTrue(Files.isDirectory(dir), "a cgroup jrun did not make is not removed");
    }
}
