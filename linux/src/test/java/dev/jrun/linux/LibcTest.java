package dev.jrun.linux;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LibcTest {

    @Test
    void makedevMatchesGlibcEncoding() {
        // Values from glibc's makedev(3) (gnu_dev_makedev), checked with a C program.
        assertEquals(0x103L, Libc.makedev(1, 3));
        assertEquals(0xae5L, Libc.makedev(10, 229));
        assertEquals(0x412356L, Libc.makedev(0x123, 0x456)); // major and minor above 255
        assertEquals(0x12006789345abL, Libc.makedev(0x12345, 0x6789ab)); // major above 4095
        assertEquals(0L, Libc.makedev(0, 0));
    }

    @Test
    void makedevOfDevNullEqualsItsRealRdev() throws Exception {
        long rdev = (Long) Files.getAttribute(Path.of("/dev/null"), "unix:rdev");
        assertEquals(rdev, Libc.makedev(1, 3));
    }

    @Test
    void exitCodeOfHandBuiltWaitStatuses() {
        assertEquals(0, Libc.exitCodeOf(0));          // exit(0)
        assertEquals(7, Libc.exitCodeOf(7 << 8));     // exit(7)
        assertEquals(255, Libc.exitCodeOf(255 << 8)); // exit(255)
        assertEquals(137, Libc.exitCodeOf(9));        // killed by SIGKILL
        assertEquals(143, Libc.exitCodeOf(15));       // killed by SIGTERM
        assertEquals(139, Libc.exitCodeOf(11 | 0x80)); // SIGSEGV with core dump flag
    }

    @Test
    void statfsTypeOfProcIsProcSuperMagic() {
        assertEquals(0x9fa0L, Libc.statfsType("/proc"));
    }

    @Test
    void statfsOfMissingPathThrowsEnoentNamingThePath() {
        LinuxException e = assertThrows(LinuxException.class, () -> Libc.statfsType("/no/such/dir/jrun-test"));
        assertEquals(Errno.ENOENT, e.errno());
        assertTrue(e.getMessage().contains("/no/such/dir/jrun-test"), e.getMessage());
        assertTrue(e.getMessage().startsWith("statfs("), e.getMessage());
    }

    @Test
    void getpidIsThisJvm() {
        assertEquals(ProcessHandle.current().pid(), Libc.getpid());
    }

    @Test
    void waitpidOfAProcessThatIsNotOurChildIsEchild() {
        LinuxException e = assertThrows(LinuxException.class, () -> Libc.waitpid(1, Libc.WNOHANG));
        assertEquals(Errno.ECHILD, e.errno());
    }

    @Test
    void killOfMissingPidIsEsrch() {
        // pid_max is at most 4194304, so this pid cannot exist.
        LinuxException e = assertThrows(LinuxException.class, () -> Libc.kill(4_194_305, 0));
        assertEquals(Errno.ESRCH, e.errno());
        assertTrue(e.getMessage().contains("pid 4194305"), e.getMessage());
    }

    @Test
    void waitpidWnohangThenKillGives137() {
        int devnull = TestIo.devNull();
        try {
            int pid = Spawn.spawn(new Spawn.Request("/bin/sleep", java.util.List.of("sleep", "30"), java.util.List.of(),
                    java.util.Map.of(0, devnull, 1, devnull, 2, devnull), 0, null, false));
            try {
                assertNull(Libc.waitpid(pid, Libc.WNOHANG), "a sleeping child has not changed state");
            } finally {
                Libc.kill(pid, 9);
            }
            assertEquals(137, TestIo.waitExit(pid));
        } finally {
            Fds.close(devnull);
        }
    }
}
