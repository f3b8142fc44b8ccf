package dev.jrun.runtime.init;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecurePathTest {
    @TempDir
    Path tmp;
    Path root;
    private final List<Path> links = new ArrayList<>();

    @BeforeEach
    void makeRootfs() throws Exception {
        root = tmp.resolve("rootfs");
        Files.createDirectories(root.resolve("etc"));
        Files.createDirectories(root.resolve("usr/lib"));
        Files.createDirectories(root.resolve("d/e"));
    }

    @AfterEach
    void removeLinks() throws Exception {
        // Links pointing outside the temp dir make @TempDir's cleanup warn; remove them first.
        for (Path l : links) Files.deleteIfExists(l);
    }

    private void link(String at, String target) throws Exception {
        Path l = root.resolve(at);
        Files.createSymbolicLink(l, Path.of(target));
        links.add(l);
    }

    private Path resolve(String unsafe) {
        Path p = SecurePath.resolve(root, unsafe);
        assertTrue(p.startsWith(root), p + " is outside " + root);
        return p;
    }

    @Test
    void plainPathsAreJoined() {
        assertEquals(root.resolve("etc/passwd"), resolve("/etc/passwd"));
        assertEquals(root.resolve("etc/passwd"), resolve("etc//passwd"));
        assertEquals(root.resolve("etc"), resolve("/./etc/."));
        assertEquals(root, resolve("/"));
        assertEquals(root, resolve(""));
    }

    @Test
    void absoluteSymlinkIsTakenFromTheRootfs() throws Exception {
        link("evil", "/etc");
        assertEquals(root.resolve("etc"), resolve("/evil"));
        assertEquals(root.resolve("etc/passwd"), resolve("/evil/passwd"));
    }

    @Test
    void relativeSymlinkClimbingOutStaysAtRoot() throws Exception {
        link("a", "../../..");
        assertEquals(root, resolve("a"));
        assertEquals(root.resolve("etc/shadow"), resolve("a/etc/shadow"));
        link("d/e/up", "../../../../../etc");
        assertEquals(root.resolve("etc"), resolve("/d/e/up"));
    }

    @Test
    void relativeSymlinkIsResolvedFromItsDirectory() throws Exception {
        link("d/e/sib", "../x");
        assertEquals(root.resolve("d/x/y"), resolve("d/e/sib/y"));
    }

    @Test
    void chainsOfSymlinksAreFollowed() throws Exception {
        link("l1", "l2");
        link("l2", "/d/l3");
        link("d/l3", "../usr/./lib");
        assertEquals(root.resolve("usr/lib/x"), resolve("/l1/x"));
    }

    @Test
    void dotDotBeyondRootClampsToRoot() {
        assertEquals(root.resolve("etc"), resolve("../../../etc"));
        assertEquals(root.resolve("x"), resolve("/etc/../../../x"));
        assertEquals(root, resolve(".."));
    }

    @Test
    void missingComponentsAreJoinedLexically() {
        assertEquals(root.resolve("etc"), resolve("/no/such/../../etc"));
        assertEquals(root.resolve("new/dir"), resolve("/new/dir"));
    }

    @Test
    void symlinkLoopFailsWithAClearMessage() throws Exception {
        link("loop1", "loop2");
        link("loop2", "/loop1");
        link("self", "self");
        for (String p : new String[] {"/loop1", "/self/x"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SecurePath.resolve(root, p));
            assertTrue(e.getMessage().contains("too many symbolic links"), e.getMessage());
            assertTrue(e.getMessage().contains(p), e.getMessage());
        }
    }

    @Test
    void mkdirsCreatesTheResolvedDirectory() throws Exception {
        link("evil", "/etc");
        Path target = resolve("/evil/jrun-made/sub");
        SecurePath.mkdirs(target);
        assertTrue(Files.isDirectory(root.resolve("etc/jrun-made/sub")));
        SecurePath.mkdirs(target); // existing: no error
    }
}
