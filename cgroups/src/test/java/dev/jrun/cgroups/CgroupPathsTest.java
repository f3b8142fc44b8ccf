package dev.jrun.cgroups;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CgroupPathsTest {
    private static final String OWN = "/user.slice/jrun.scope";

    @Test
    void absolutePathIsTakenFromTheHierarchyRoot() {
        assertEquals("/machine.slice/ctr", CgroupPaths.resolve("/machine.slice/ctr", "id1", OWN));
    }

    @Test
    void relativePathGoesUnderOwnCgroup() {
        assertEquals("/user.slice/jrun.scope/pods/ctr", CgroupPaths.resolve("pods/ctr", "id1", OWN));
    }

    @Test
    void missingPathDefaultsToTheContainerIdUnderOwnCgroup() {
        assertEquals("/user.slice/jrun.scope/id1", CgroupPaths.resolve(null, "id1", OWN));
        assertEquals("/user.slice/jrun.scope/id1", CgroupPaths.resolve("", "id1", OWN));
        assertEquals("/id1", CgroupPaths.resolve(null, "id1", "/"));
    }

    @Test
    void duplicateSlashesAndDotsAreNormalised() {
        assertEquals("/a/b/c", CgroupPaths.resolve("//a///b/./c/", "id1", OWN));
        assertEquals("/x/y/z", CgroupPaths.resolve("y//z", "id1", "/x/"));
    }

    @Test
    void dotDotIsRejectedNamingThePath() {
        for (String p : new String[] {"/a/../b", "../escape", "/..", "a/.."}) {
            CgroupException e = assertThrows(CgroupException.class, () -> CgroupPaths.resolve(p, "id1", OWN), p);
            assertTrue(e.getMessage().contains("\"" + p + "\""), e.getMessage());
            assertTrue(e.getMessage().contains(".."), e.getMessage());
        }
    }

    @Test
    void systemdSliceFormBecomesTheScopePathSystemdWouldUse() {
        assertEquals("/machine.slice/libpod-abc.scope", CgroupPaths.resolve("machine.slice:libpod:abc", "abc", OWN));
        assertEquals("/a.slice/a-b.slice/p-n.scope", CgroupPaths.resolve("a-b.slice:p:n", "n", OWN),
                "nested slices expand like systemd's");
        assertEquals("/system.slice/p-n.scope", CgroupPaths.resolve(":p:n", "n", OWN), "empty slice = system.slice");
        assertEquals("/p-n.scope", CgroupPaths.resolve("-.slice:p:n", "n", OWN), "-.slice is the root slice");
    }

    @Test
    void malformedSystemdFormIsRejectedNamingThePath() {
        for (String p : new String[] {"a:b", "a:b:c:d", "machine:p:n", "machine.slice::n", "machine.slice:p:",
                "a--b.slice:p:n", "x/y.slice:p:n"}) {
            CgroupException e = assertThrows(CgroupException.class, () -> CgroupPaths.resolve(p, "n", OWN), p);
            assertTrue(e.getMessage().contains("\"" + p + "\""), e.getMessage());
        }
    }

    @Test
    void aColonInsideAnAbsolutePathIsJustAName() {
        assertEquals("/a:b/c", CgroupPaths.resolve("/a:b/c", "id1", OWN));
    }

    @Test
    void rootCgroupIsRejected() {
        for (String p : new String[] {"/", "//", "/./"}) {
            CgroupException e = assertThrows(CgroupException.class, () -> CgroupPaths.resolve(p, "id1", OWN), p);
            assertTrue(e.getMessage().contains("root cgroup"), e.getMessage());
        }
    }

    @Test
    void ownCgroupIsTheV2LineOfProcSelfCgroup() throws Exception {
        String expected = "/";
        for (String l : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
            if (l.startsWith("0::")) expected = l.substring(3).isEmpty() ? "/" : l.substring(3);
        }
        assertEquals(expected, CgroupPaths.ownCgroup());
    }
}
