package dev.jrun.linux;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * openat2(2) with RESOLVE_IN_ROOT: a rootfs holding hostile symlinks must not reach the host's
 * /etc/passwd. Without a fake etc/passwd inside, every escape attempt is ENOENT; with one, the
 * escape lands on the fake file.
 */
class Openat2Test {
    @TempDir
    Path tmp;
    Path root;
    int rootFd = -1;

    @BeforeEach
    void makeRootfs() throws Exception {
        root = tmp.resolve("rootfs");
        Files.createDirectories(root.resolve("a/b"));
        Files.createSymbolicLink(root.resolve("escape"), Path.of("/etc"));
        Files.createSymbolicLink(root.resolve("a/b/up"), Path.of("../../../../../../etc"));
        rootFd = Fds.open(root.toString(), Fds.O_PATH | Fds.O_DIRECTORY | Fds.O_CLOEXEC, 0);
    }

    @AfterEach
    void closeRoot() throws Exception {
        Fds.closeQuietly(rootFd);
        // Remove the links to /etc ourselves: @TempDir warns about links leaving it.
        Files.deleteIfExists(root.resolve("escape"));
        Files.deleteIfExists(root.resolve("a/b/up"));
    }

    private int openInRoot(String path) {
        return Fds.openat2(rootFd, path, Fds.O_RDONLY | Fds.O_CLOEXEC, 0, Fds.RESOLVE_IN_ROOT);
    }

    private String readInRoot(String path) {
        int fd = openInRoot(path);
        try {
            return TestIo.readAll(fd);
        } finally {
            Fds.close(fd);
        }
    }

    @Test
    void absoluteSymlinkToEtcDoesNotReachHostPasswd() {
        LinuxException e = assertThrows(LinuxException.class, () -> openInRoot("escape/passwd"));
        assertEquals(Errno.ENOENT, e.errno());
        assertEquals("openat2", e.call());
    }

    @Test
    void dotDotPathsDoNotReachHostPasswd() {
        for (String p : new String[] {"../../etc/passwd", "/../../../etc/passwd", "a/b/../../../../etc/passwd",
                "/etc/passwd", "a/b/up/passwd"}) {
            LinuxException e = assertThrows(LinuxException.class, () -> openInRoot(p), p);
            assertEquals(Errno.ENOENT, e.errno(), p);
        }
    }

    @Test
    void escapesLandOnTheRootfsOwnFile() throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "inside-the-rootfs\n");
        for (String p : new String[] {"escape/passwd", "../../etc/passwd", "/etc/passwd", "a/b/up/passwd"}) {
            assertEquals("inside-the-rootfs\n", readInRoot(p), p);
        }
    }

    @Test
    void resolveBeneathRefusesDotDotWithExdev() {
        LinuxException e = assertThrows(LinuxException.class,
                () -> Fds.openat2(rootFd, "../x", Fds.O_RDONLY | Fds.O_CLOEXEC, 0, Fds.RESOLVE_BENEATH));
        assertEquals(Errno.EXDEV, e.errno());
    }

    @Test
    void resolveNoSymlinksRefusesTheSymlinkWithEloop() {
        LinuxException e = assertThrows(LinuxException.class,
                () -> Fds.openat2(rootFd, "escape", Fds.O_RDONLY | Fds.O_CLOEXEC, 0, Fds.RESOLVE_NO_SYMLINKS));
        assertEquals(Errno.ELOOP, e.errno());
    }
}
