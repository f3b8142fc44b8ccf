package dev.jrun.runtime.state;

import dev.jrun.linux.Fds;
import dev.jrun.linux.Libc;
import dev.jrun.linux.Spawn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessProbeTest {

    private static int spawn(String path, List<String> argv) {
        int devnull = Fds.open("/dev/null", Fds.O_RDWR | Fds.O_CLOEXEC, 0);
        try {
            return Spawn.spawn(new Spawn.Request(path, argv, List.of("PATH=/usr/bin:/bin"),
                    Map.of(0, devnull, 1, devnull, 2, devnull), 0, null, false));
        } finally {
            Fds.close(devnull);
        }
    }

    private static String state(int pid) throws Exception {
        String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return s.substring(s.lastIndexOf(')') + 2).split(" ")[0];
    }

    @Test
    void ownProcessIsAliveWithItsStartTime() throws Exception {
        int me = (int) ProcessHandle.current().pid();
        long start = ProcessProbe.startTime(me);
        String stat = Files.readString(Path.of("/proc/self/stat"));
        long expected = Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19]);
        assertEquals(expected, start, "field 22 of /proc/self/stat");
        assertTrue(ProcessProbe.alive(me, start));
        assertTrue(ProcessProbe.alive(me, -1), "no start time: any live process counts");
        assertFalse(ProcessProbe.alive(me, start + 1), "a different start time means a recycled pid");
    }

    @Test
    void nonPositiveAndMissingPidsAreNotAlive() {
        assertFalse(ProcessProbe.alive(0, -1));
        assertFalse(ProcessProbe.alive(-5, -1));
        assertFalse(ProcessProbe.alive(4_194_305, -1)); // above pid_max
        assertEquals(-1, ProcessProbe.startTime(4_194_305));
    }

    @Test
    void reapedChildIsNotAlive() {
        int pid = spawn("/bin/sh", List.of("sh", "-c", "exit 0"));
        Libc.waitpid(pid, 0);
        assertFalse(ProcessProbe.alive(pid, -1));
    }

    @Test
    void zombieIsNotAliveUntilAndAfterReaped() throws Exception {
        int pid = spawn("/bin/sh", List.of("sh", "-c", "exit 0"));
        try {
            long deadline = System.nanoTime() + 2_000_000_000L;
            while (!"Z".equals(state(pid)) && System.nanoTime() < deadline) Thread.sleep(20);
            assertEquals("Z", state(pid), "the unreaped child is a zombie");
            assertTrue(ProcessProbe.startTime(pid) > 0, "a zombie still has its /proc entry");
            assertFalse(ProcessProbe.alive(pid, -1));
            assertFalse(ProcessProbe.alive(pid, ProcessProbe.startTime(pid)));
        } finally {
            Libc.waitpid(pid, 0);
        }
    }

    /** comm may hold spaces and parentheses: the fields are read after the last ')'. */
    @Test
    void commWithSpacesAndParensIsParsed(@TempDir Path dir) throws Exception {
        Path odd = dir.resolve("a) b (c");
        Files.copy(Path.of("/bin/sleep"), odd);
        odd.toFile().setExecutable(true);
        int pid = spawn(odd.toString(), List.of("x", "5"));
        try {
            long deadline = System.nanoTime() + 2_000_000_000L;
            while (!Files.readString(Path.of("/proc/" + pid + "/comm")).startsWith("a) b (c")
                    && System.nanoTime() < deadline) Thread.sleep(10);
            long start = ProcessProbe.startTime(pid);
            assertTrue(start > 0);
            assertTrue(ProcessProbe.alive(pid, start));
        } finally {
            Libc.kill(pid, 9);
            Libc.waitpid(pid, 0);
        }
    }
}
