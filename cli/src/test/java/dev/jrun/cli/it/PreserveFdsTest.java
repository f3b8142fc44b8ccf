package dev.jrun.cli.it;

import dev.jrun.cli.it.Bundles.Bundle;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * --preserve-fds N passes fds 3..3+N-1 of jrun into the container; any other fd jrun holds
 * (inherited ones, its own sockets, FIFOs, jar) must never reach the container (CVE-2024-21626 class).
 */
class PreserveFdsTest extends ContainerTestSupport {

    /** Container script: what is on fd 3, and which fds the `ls` process has (its own dir fd included). */
    private static final String SCRIPT = "echo fd3=$(cat <&3 2>/dev/null)\n"
            + "echo fds=$(ls /proc/self/fd | sort -n | tr '\\n' ' ')\n";

    /** Runs the container from bash with fd 3 open on {@code file}, so jrun inherits it. */
    private Jrun.Result runWithFd3(Bundle b, Path file, String... runFlags) {
        b.sh(SCRIPT);
        b.save();
        String id = newId();
        String cmd = "exec 3<'" + file + "'; exec '" + Jrun.executable() + "' --root '" + jrun.root() + "' run "
                + String.join(" ", runFlags) + " --bundle '" + b.dir + "' " + id;
        return jrun.exec(List.of("bash", "-c", cmd), Jrun.TIMEOUT);
    }

    @Test
    void preservedFdIsVisibleInside() throws IOException {
        Path file = tmp.resolve("shared.txt");
        Files.writeString(file, "preserved-content\n");
        String out = runWithFd3(newBundle(), file, "--preserve-fds", "1").assertOk().out();
        assertField(out, "fd3", "preserved-content");
        // 0-2 stdio, 3 the preserved file, 4 the directory ls is reading: nothing else.
        assertEquals(List.of("0", "1", "2", "3", "4"), Arrays.asList(field(out, "fds").split(" ")), out);
    }

    @Test
    void inheritedFdDoesNotLeakWithoutPreserveFds() throws IOException {
        Path file = tmp.resolve("secret.txt");
        Files.writeString(file, "host-secret\n");
        String out = runWithFd3(newBundle(), file).assertOk().out();
        assertField(out, "fd3", "");
        // 0-2 stdio and 3 = the directory ls is reading; a leaked host fd would push that to 4+.
        assertEquals(List.of("0", "1", "2", "3"), Arrays.asList(field(out, "fds").split(" ")), out);
    }

    @Test
    void preservedFdSurvivesFromCreateToStart() throws IOException {
        // containerd passes fds to `create`; the process only execs at `start`.
        Path file = tmp.resolve("shared.txt");
        Files.writeString(file, "kept-until-start\n");
        Bundle b = newBundle();
        b.sh(SCRIPT);
        b.save();
        String id = newId();
        String cmd = "exec 3<'" + file + "'; exec '" + Jrun.executable() + "' --root '" + jrun.root() + "' create"
                + " --preserve-fds 1 --bundle '" + b.dir + "' " + id;
        Jrun.Started create = jrun.start(List.of("bash", "-c", cmd));
        create.await(Jrun.TIMEOUT).assertOk();
        jrun.call("start", id).assertOk();
        awaitStatus(id, "stopped", Duration.ofSeconds(10));
        String out = create.stdoutNow();
        assertField(out, "fd3", "kept-until-start");
        assertEquals(List.of("0", "1", "2", "3", "4"), Arrays.asList(field(out, "fds").split(" ")), out);
    }

    @Test
    void emptyPreservedSlotsHoldNothingOfJrun() throws IOException {
        // The caller passes only fd 3 but asks for 4 slots: slots 4..6 were never given to jrun,
        // and its JVM opens files of its own there (module image, lock file). They must arrive
        // as /dev/null, not as jrun's files.
        Path file = tmp.resolve("shared.txt");
        Files.writeString(file, "only-fd-3\n");
        Bundle b = newBundle();
        b.sh("for fd in 3 4 5 6; do echo \"slot$fd=$(readlink /proc/self/fd/$fd)\"; done");
        b.save();
        String id = newId();
        String cmd = "exec 3<'" + file + "'; exec '" + Jrun.executable() + "' --root '" + jrun.root() + "' run"
                + " --preserve-fds 4 --bundle '" + b.dir + "' " + id;
        String out = jrun.exec(List.of("bash", "-c", cmd), Jrun.TIMEOUT).assertOk().out();
        assertField(out, "slot3", file.toString());
        for (String slot : List.of("slot4", "slot5", "slot6")) assertField(out, slot, "/dev/null");
    }
}
