package dev.jrun.linux;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpawnTest {
    private static final List<String> ENV = List.of("PATH=/usr/bin:/bin");

    @TempDir
    Path tmp;
    int devnull = -1;

    @BeforeEach
    void openDevNull() {
        devnull = TestIo.devNull();
    }

    @AfterEach
    void closeDevNull() {
        Fds.closeQuietly(devnull);
    }

    /** Runs {@code sh -c script} with stdout to a pipe; returns {exit code, stdout}. */
    private Object[] sh(String script, Map<Integer, Integer> extraFds, int keepFds, String cwd, boolean setsid,
                        List<String> env) {
        int[] out = Fds.pipe(Fds.O_CLOEXEC);
        int pid;
        try {
            Map<Integer, Integer> fds = new HashMap<>(Map.of(0, devnull, 1, out[1], 2, devnull));
            fds.putAll(extraFds);
            pid = Spawn.spawn(new Spawn.Request("/bin/sh", List.of("sh", "-c", script), env, fds, keepFds, cwd, setsid));
        } finally {
            Fds.close(out[1]);
        }
        try {
            String text = TestIo.readAll(out[0]);
            return new Object[] {TestIo.waitExit(pid), text};
        } finally {
            Fds.close(out[0]);
        }
    }

    private String shOut(String script) {
        Object[] r = sh(script, Map.of(), 0, null, false, ENV);
        assertEquals(0, r[0], "exit code of " + script);
        return (String) r[1];
    }

    @Test
    void exitCodeComesBackThroughWaitpid() {
        int pid = Spawn.spawn(new Spawn.Request("/bin/sh", List.of("sh", "-c", "exit 3"), ENV,
                Map.of(0, devnull, 1, devnull, 2, devnull), 0, null, false));
        assertTrue(pid > 0);
        assertEquals(3, TestIo.waitExit(pid));
    }

    @Test
    void catEchoesItsStdinPipeToItsStdoutPipe() {
        int[] in = Fds.pipe(Fds.O_CLOEXEC);
        int[] out = Fds.pipe(Fds.O_CLOEXEC);
        int pid = Spawn.spawn(new Spawn.Request("/bin/cat", List.of("cat"), ENV,
                Map.of(0, in[0], 1, out[1], 2, devnull), 0, null, false));
        Fds.close(in[0]);
        Fds.close(out[1]);
        try {
            Fds.writeAll(in[1], "line one\nline two\n");
            Fds.close(in[1]);
            assertEquals("line one\nline two\n", TestIo.readAll(out[0]));
        } finally {
            Fds.close(out[0]);
        }
        assertEquals(0, TestIo.waitExit(pid));
    }

    @Test
    void stderrCanGoToTheSamePipeAsStdout() {
        int[] out = Fds.pipe(Fds.O_CLOEXEC);
        int pid = Spawn.spawn(new Spawn.Request("/bin/sh", List.of("sh", "-c", "echo out; echo err >&2"), ENV,
                Map.of(0, devnull, 1, out[1], 2, out[1]), 0, null, false));
        Fds.close(out[1]);
        try {
            assertEquals("out\nerr\n", TestIo.readAll(out[0]));
        } finally {
            Fds.close(out[0]);
        }
        assertEquals(0, TestIo.waitExit(pid));
    }

    @Test
    void argvAndEnvAreExactlyWhatWasGiven() {
        int[] out = Fds.pipe(Fds.O_CLOEXEC);
        int pid = Spawn.spawn(new Spawn.Request("/usr/bin/env", List.of("env"), List.of("A=1", "B=two words"),
                Map.of(0, devnull, 1, out[1], 2, devnull), 0, null, false));
        Fds.close(out[1]);
        try {
            assertEquals("A=1\nB=two words\n", TestIo.readAll(out[0]));
        } finally {
            Fds.close(out[0]);
        }
        assertEquals(0, TestIo.waitExit(pid));
    }

    @Test
    void inheritableFdsAboveStdioAreClosed() throws Exception {
        Path marker = tmp.resolve("leaky-marker");
        Files.writeString(marker, "x");
        int leaky = Fds.open(marker.toString(), Fds.O_RDONLY, 0); // no O_CLOEXEC on purpose
        try {
            assertEquals(0, Fds.fcntl(leaky, Fds.F_GETFD, 0) & Fds.FD_CLOEXEC);
            String listing = shOut("ls -l /proc/$$/fd");
            assertFalse(listing.contains(marker.toString()), "fd " + leaky + " leaked into the child:\n" + listing);
            assertFalse(shOut("ls /proc/$$/fd").lines().anyMatch(l -> l.equals(Integer.toString(leaky))),
                    "fd number " + leaky + " is open in the child");
        } finally {
            Fds.close(leaky);
        }
    }

    @Test
    void keepFdsKeepsInheritableFdsBelowTheLimit() throws Exception {
        Path marker = tmp.resolve("kept-marker");
        Files.writeString(marker, "x");
        int kept = Fds.open(marker.toString(), Fds.O_RDONLY, 0); // no O_CLOEXEC: inherited as is
        try {
            Object[] r = sh("readlink /proc/$$/fd/" + kept, Map.of(), kept + 1, null, false, ENV);
            assertEquals(0, r[0]);
            assertEquals(marker.toString() + "\n", r[1], "keepFds=" + (kept + 1) + " must keep fd " + kept);

            Object[] cut = sh("readlink /proc/$$/fd/" + kept, Map.of(), kept, null, false, ENV);
            assertNotEquals(0, cut[0], "keepFds=" + kept + " must close fd " + kept);
        } finally {
            Fds.close(kept);
        }
    }

    @Test
    void anFdMappedToThreeIsInstalledThere() throws Exception {
        Path marker = tmp.resolve("fd3-marker");
        Files.writeString(marker, "x");
        int src = Fds.open(marker.toString(), Fds.O_RDONLY | Fds.O_CLOEXEC, 0);
        try {
            Object[] r = sh("readlink /proc/$$/fd/3; cat <&3", Map.of(3, src), 0, null, false, ENV);
            assertEquals(0, r[0]);
            assertEquals(marker + "\nx", r[1]);
        } finally {
            Fds.close(src);
        }
    }

    @Test
    void cwdIsApplied() throws Exception {
        Object[] r = sh("pwd -P", Map.of(), 0, tmp.toString(), false, ENV);
        assertEquals(tmp.toRealPath() + "\n", r[1]);
    }

    @Test
    void setsidMakesTheChildASessionLeader() {
        // field 6 of /proc/PID/stat is the session id; comm "sh" holds no space.
        String script = "set -- $(cat /proc/$$/stat); echo $1 $6";
        String[] withSid = ((String) sh(script, Map.of(), 0, null, true, ENV)[1]).trim().split(" ");
        assertEquals(withSid[0], withSid[1], "pid equals session id");
        String[] without = ((String) sh(script, Map.of(), 0, null, false, ENV)[1]).trim().split(" ");
        assertNotEquals(without[0], without[1], "without setsid the child stays in the JVM's session");
    }

    @Test
    void missingExecutableThrowsEnoentNamingIt() {
        LinuxException e = assertThrows(LinuxException.class, () -> Spawn.spawn(new Spawn.Request(
                "/no/such/binary", List.of("x"), ENV, Map.of(0, devnull, 1, devnull, 2, devnull), 0, null, false)));
        assertEquals(Errno.ENOENT, e.errno());
        assertTrue(e.getMessage().contains("/no/such/binary"), e.getMessage());
    }
}
