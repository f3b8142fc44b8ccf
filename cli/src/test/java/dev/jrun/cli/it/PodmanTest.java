package dev.jrun.cli.it;

import dev.jrun.cli.it.Jrun.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Conformance against software nobody here wrote: podman drives jrun through runc's command-line
 * contract (create with --pid-file and --log json, start, state, kill, delete). podman's storage
 * and run state live in this test's temp dir; the image is the busybox test rootfs, imported.
 *
 * <p>The podman flags turn off what jrun refuses for now (pids limit, seccomp) and keep the
 * rlimits within what this sandbox allows (its hard limits are below podman's defaults; runc
 * fails the same way without them).
 */
class PodmanTest extends ContainerTestSupport {
    private static final Path PODMAN = Path.of("/usr/bin/podman");
    // --network none: the test is about the runtime contract; it leaves the host's network alone.
    private static final List<String> RUN_FLAGS = List.of("--network", "none", "--pids-limit", "0", "--ulimit", "nofile=1024:1024",
            "--ulimit", "nproc=1024:1024", "--security-opt", "seccomp=unconfined");

    private Path storage;
    private String image;

    @BeforeEach
    void importImage() throws IOException {
        assumeTrue(Files.isExecutable(PODMAN), "podman is not installed");
        storage = Files.createDirectories(tmp.resolve("podman"));
        image = "localhost/jrun-it-busybox:" + newId();
        Path rootfs = Bundles.base().resolve("rootfs");
        Result imported = jrun.exec(List.of("bash", "-c", "tar -C '" + rootfs + "' -c . | "
                + String.join(" ", podman("import", "-", image))), Duration.ofSeconds(60));
        imported.assertOk();
    }

    @AfterEach
    void resetStorage() {
        if (storage == null) return;
        // vfs storage: plain directories, no mounts; reset removes containers and images
        jrun.exec(podman("rm", "-af"), Duration.ofSeconds(60));
        jrun.exec(podman("system", "reset", "-f"), Duration.ofSeconds(60));
    }

    /** podman with private storage and run state, and jrun as its OCI runtime. */
    private List<String> podman(String... args) {
        List<String> cmd = new ArrayList<>(List.of(PODMAN.toString(), "--root", storage.resolve("root").toString(),
                "--runroot", storage.resolve("run").toString(), "--storage-driver", "vfs",
                "--cgroup-manager", "cgroupfs", "--events-backend", "file", "--runtime", Jrun.executable().toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private List<String> run(String... args) {
        List<String> cmd = new ArrayList<>(List.of("run"));
        cmd.addAll(RUN_FLAGS);
        cmd.addAll(List.of(args));
        return podman(cmd.toArray(String[]::new));
    }

    @Test
    void podmanRunsAContainerThroughJrunAndGetsItsOutputAndStatus() {
        List<String> cmd = new ArrayList<>(run("--rm", "--hostname", "podded", image, "sh", "-c",
                "echo host=$(hostname); echo pid=$$; exit 3"));
        Result r = jrun.exec(cmd, Duration.ofSeconds(90));
        assertEquals(3, r.exit(), "podman passes the container's exit status on: " + r);
        assertField(r.out(), "host", "podded");
        assertField(r.out(), "pid", "1");
    }

    @Test
    void podmanDetachedLifecycleStopAndRemove() {
        List<String> start = new ArrayList<>(run("-d", image, "sleep", "100"));
        String id = jrun.exec(start, Duration.ofSeconds(90)).assertOk().out().trim();
        assertTrue(id.matches("[0-9a-f]{64}"), "podman printed the container id: " + id);
        String status = jrun.exec(podman("inspect", "--format", "{{.State.Status}}", id), Duration.ofSeconds(30))
                .assertOk().out().trim();
        assertEquals("running", status);
        jrun.exec(podman("stop", "-t", "1", id), Duration.ofSeconds(60)).assertOk();
        String exited = jrun.exec(podman("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", id),
                Duration.ofSeconds(30)).assertOk().out().trim();
        assertEquals("exited 137", exited, "sleep as PID 1 ignores SIGTERM, so stop ends it with SIGKILL");
        jrun.exec(podman("rm", id), Duration.ofSeconds(60)).assertOk();
        String left = jrun.exec(podman("ps", "-aq"), Duration.ofSeconds(30)).assertOk().out().trim();
        assertEquals("", left);
    }

    @Test
    void jrunsRefusalReachesThePodmanUser() {
        // Without the flags podman asks for a pids limit, which this hybrid host cannot enforce:
        // the user must see jrun's reason, not a generic failure.
        Result r = jrun.exec(podman("run", "--rm", "--network", "none", "--security-opt", "seccomp=unconfined", image,
                "true"), Duration.ofSeconds(90));
        assertTrue(r.exit() != 0, "podman run must fail: " + r);
        assertTrue(r.err().contains("the pids controller is not available"), "jrun's message: " + r.err());
    }

    @Test
    void podmansDefaultSeccompProfileIsRefusedNotIgnored() {
        Result r = jrun.exec(podman("run", "--rm", "--network", "none", "--pids-limit", "0", image, "true"),
                Duration.ofSeconds(90));
        assertTrue(r.exit() != 0, "podman run must fail: " + r);
        assertTrue(r.err().contains("seccomp filters are not supported by jrun yet"), "jrun's message: " + r.err());
    }
}
