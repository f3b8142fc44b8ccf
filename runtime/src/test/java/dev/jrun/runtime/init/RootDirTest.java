package dev.jrun.runtime.init;

import dev.jrun.linux.Errno;
import dev.jrun.linux.Fds;
import dev.jrun.linux.LinuxException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RootDir resolves every path inside the rootfs with openat2(RESOLVE_IN_ROOT): hostile symlinks
 * and ".." never reach the host, and missing directories are created inside the root only.
 * (No root privileges needed: openat2, mkdirat and readlink work for any user.)
 */
class RootDirTest {
    @TempDir
    Path tmp;
    Path rootfs;
    Path outside;
    RootDir root;
    private final List<Path> links = new ArrayList<>();

    @BeforeEach
    void makeRootfs() throws Exception {
        rootfs = Files.createDirectories(tmp.resolve("rootfs"));
        Files.createDirectories(rootfs.resolve("etc"));
        outside = Files.createDirectories(tmp.resolve("outside"));
        root = new RootDir(rootfs);
    }

    @AfterEach
    void close() throws Exception {
        root.close();
        for (Path l : links) Files.deleteIfExists(l);
    }

    private void link(String at, String target) throws Exception {
        Path l = rootfs.resolve(at);
        Files.createSymbolicLink(l, Path.of(target));
        links.add(l);
    }

    private String pathOf(int fd) {
        try {
            return root.containerPathOf(fd);
        } finally {
            Fds.closeQuietly(fd);
        }
    }

    @Test
    void existingDirectoryResolvesToItsContainerPath() {
        assertEquals("/etc", pathOf(root.openDir("/etc", false)));
        assertEquals("/", pathOf(root.openDir("/", false)));
    }

    @Test
    void dotDotCannotClimbOutOfTheRoot() {
        assertEquals("/etc", pathOf(root.openDir("/../../../etc", false)));
    }

    @Test
    void absoluteSymlinkIsTakenInsideTheRoot() throws Exception {
        link("evil", outside.toString());
        // the host's `outside` must neither be reached nor receive the new directories
        assertEquals(outside.toString() + "/sub", pathOf(root.openDir("/evil/sub", true)));
        assertTrue(Files.isDirectory(rootfs.resolve(outside.toString().substring(1)).resolve("sub")),
                "the symlink's target was created inside the rootfs");
        try (var s = Files.list(outside)) {
            assertEquals(0, s.count(), "nothing was created in the host directory behind the symlink");
        }
    }

    @Test
    void relativeSymlinkClimbingOutIsClamped() throws Exception {
        link("up", "../../../../..");
        assertEquals("/etc", pathOf(root.openDir("/up/etc", false)));
    }

    @Test
    void missingDirectoriesAreCreatedInsideOnly() {
        assertEquals("/a/b/c", pathOf(root.openDir("/a/b/c", true)));
        assertTrue(Files.isDirectory(rootfs.resolve("a/b/c")));
        LinuxException e = assertThrows(LinuxException.class, () -> root.openDir("/x/y", false));
        assertEquals(Errno.ENOENT, e.errno());
        assertFalse(Files.exists(rootfs.resolve("x")));
    }

    @Test
    void fileTargetIsCreatedEmptyAndNeverFollowedOut() throws Exception {
        assertEquals("/etc/resolv.conf", pathOf(root.openFile("/etc/resolv.conf")));
        assertTrue(Files.isRegularFile(rootfs.resolve("etc/resolv.conf"), LinkOption.NOFOLLOW_LINKS));
        Path hostFile = Files.writeString(outside.resolve("passwd"), "host");
        link("etc/passwd", hostFile.toString());
        assertEquals(hostFile.toString(), pathOf(root.openFile("/etc/passwd")));
        assertEquals("host", Files.readString(hostFile), "the host file is untouched");
        assertTrue(Files.isRegularFile(rootfs.resolve(hostFile.toString().substring(1))));
    }

    @Test
    void entryGivesTheParentAndTheNameWithoutFollowingTheName() throws Exception {
        link("etc/ptmx", outside.toString());
        try (RootDir.Entry e = root.entry("/etc/ptmx")) {
            assertEquals("ptmx", e.name());
            assertEquals("/etc", root.containerPathOf(e.dirFd()));
        }
    }

    @Test
    void symlinkLoopFails() throws Exception {
        link("loop1", "/loop2");
        link("loop2", "/loop1");
        LinuxException e = assertThrows(LinuxException.class, () -> root.openDir("/loop1/x", true));
        assertEquals(Errno.ELOOP, e.errno());
    }
}
