package dev.jrun.cgroups;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Cgroup.apply on the host's real cgroup2 hierarchy (on a hybrid host: /sys/fs/cgroup/unified,
 * whose controllers may be only hugetlb), in a unique /jrun-unit-UUID/c cgroup. Only cgroup2
 * is touched; the v1 hierarchies are never used.
 */
class CgroupApplyTest {
    private static final String HUGETLB_ORIGIN = "$.linux.resources.hugepageLimits[0]";
    private static final String PIDS_ORIGIN = "$.linux.resources.pids.limit";

    private Path mount;
    private Path parentDir;
    private Path childDir;
    private Cgroup cg;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid")), "needs root");
        CgroupMode mode = CgroupMode.detect();
        assumeTrue(mode != CgroupMode.LEGACY, "needs a cgroup2 hierarchy");
        mount = Path.of(mode.v2Mount());
        String parent = "/jrun-unit-" + UUID.randomUUID();
        parentDir = Path.of(mode.v2Mount() + parent);
        childDir = parentDir.resolve("c");
        cg = new Cgroup(mode.v2Mount(), parent + "/c");
        assertTrue(cg.create());
        assertEquals(childDir, cg.dir());
    }

    @AfterEach
    void tearDown() throws Exception {
        // rmdir(2) the child, then the parent
        if (childDir != null) Files.deleteIfExists(childDir);
        if (parentDir != null) Files.deleteIfExists(parentDir);
    }

    private Set<String> offered() throws IOException {
        Set<String> out = new TreeSet<>();
        for (String c : Files.readString(mount.resolve("cgroup.controllers")).trim().split("\\s+")) {
            if (!c.isEmpty()) out.add(c);
        }
        return out;
    }

    private static Set<String> words(Path file) throws IOException {
        return new TreeSet<>(Arrays.asList(Files.readString(file).trim().split("\\s+")));
    }

    private void assumeHugetlb2MB() throws IOException {
        assumeTrue(offered().contains("hugetlb"), "the cgroup2 hierarchy does not offer hugetlb");
        assumeTrue(Files.isDirectory(Path.of("/sys/kernel/mm/hugepages/hugepages-2048kB")), "no 2MB huge pages");
    }

    @Test
    void aControllerTheHierarchyDoesNotOfferIsAnErrorNamingTheOrigin() throws Exception {
        assumeFalse(offered().contains("pids"), "this host offers pids in cgroup v2");
        CgroupException e = assertThrows(CgroupException.class,
                () -> cg.apply(List.of(new CgroupSetting("pids", "pids.max", "100", PIDS_ORIGIN))));
        String m = e.getMessage();
        assertTrue(m.startsWith(PIDS_ORIGIN + ": "), m);
        assertTrue(m.contains("the pids controller is not available"), m);
        assertTrue(m.contains(mount.toString()), m);
        assertTrue(m.contains("it offers: " + String.join(" ", offered())), m);
        assertFalse(Files.exists(childDir.resolve("pids.max")));
        assertEquals(Set.of(""), words(parentDir.resolve("cgroup.subtree_control")), "nothing was enabled");
    }

    @Test
    void nothingIsWrittenWhenALaterControllerIsMissing() throws Exception {
        assumeHugetlb2MB();
        assumeFalse(offered().contains("pids"), "this host offers pids in cgroup v2");
        List<CgroupSetting> settings = List.of(
                new CgroupSetting("hugetlb", "hugetlb.2MB.max", "4194304", HUGETLB_ORIGIN),
                new CgroupSetting("pids", "pids.max", "100", PIDS_ORIGIN));
        CgroupException e = assertThrows(CgroupException.class, () -> cg.apply(settings));
        assertTrue(e.getMessage().contains(PIDS_ORIGIN), e.getMessage());
        // hugetlb was not enabled for the child, so its files never appeared, let alone got written
        assertFalse(words(parentDir.resolve("cgroup.subtree_control")).contains("hugetlb"));
        assertFalse(Files.exists(childDir.resolve("hugetlb.2MB.max")));
    }

    @Test
    void hugetlbLimitIsWrittenAfterEnablingTheControllerInTheParents() throws Exception {
        assumeHugetlb2MB();
        assertFalse(words(parentDir.resolve("cgroup.subtree_control")).contains("hugetlb"));

        cg.apply(List.of(new CgroupSetting("hugetlb", "hugetlb.2MB.max", "4194304", HUGETLB_ORIGIN)));

        assertEquals("4194304", Files.readString(childDir.resolve("hugetlb.2MB.max")).trim());
        assertTrue(words(parentDir.resolve("cgroup.subtree_control")).contains("hugetlb"));
        assertTrue(words(mount.resolve("cgroup.subtree_control")).contains("hugetlb"));
        // the leaf's own subtree_control is left alone: it will hold the container's processes
        assertFalse(words(childDir.resolve("cgroup.subtree_control")).contains("hugetlb"));
    }

    @Test
    void applyingTwiceIsFine() throws Exception {
        assumeHugetlb2MB();
        cg.apply(List.of(new CgroupSetting("hugetlb", "hugetlb.2MB.max", "4194304", HUGETLB_ORIGIN)));
        cg.apply(List.of(new CgroupSetting("hugetlb", "hugetlb.2MB.max", "8388608", HUGETLB_ORIGIN)));
        assertEquals("8388608", Files.readString(childDir.resolve("hugetlb.2MB.max")).trim());
    }

    @Test
    void anUnknownFileOfAnAvailableControllerIsAnErrorNamingIt() throws Exception {
        assumeTrue(offered().contains("hugetlb"), "the cgroup2 hierarchy does not offer hugetlb");
        String origin = "$.linux.resources.unified[\"hugetlb.3MB.max\"]";
        CgroupException e = assertThrows(CgroupException.class,
                () -> cg.apply(List.of(new CgroupSetting("hugetlb", "hugetlb.3MB.max", "1", origin))));
        String m = e.getMessage();
        assertTrue(m.startsWith(origin + ": "), m);
        assertTrue(m.contains("this kernel has no hugetlb.3MB.max"), m);
        assertFalse(Files.exists(childDir.resolve("hugetlb.3MB.max")), "apply must not create files");
    }

    @Test
    void aValueTheKernelRejectsIsAnErrorNamingOriginFileAndValue() throws Exception {
        assumeHugetlb2MB();
        CgroupException e = assertThrows(CgroupException.class,
                () -> cg.apply(List.of(new CgroupSetting("hugetlb", "hugetlb.2MB.max", "lots", HUGETLB_ORIGIN))));
        String m = e.getMessage();
        assertTrue(m.startsWith(HUGETLB_ORIGIN + ": "), m);
        assertTrue(m.contains("\"lots\""), m);
        assertTrue(m.contains(childDir.resolve("hugetlb.2MB.max").toString()), m);
    }

    @Test
    void coreFilesNeedNoController() throws Exception {
        String origin = "$.linux.resources.unified[\"cgroup.max.depth\"]";
        cg.apply(List.of(new CgroupSetting("cgroup", "cgroup.max.depth", "5", origin)));
        assertEquals("5", Files.readString(childDir.resolve("cgroup.max.depth")).trim());
        assertEquals(Set.of(""), words(parentDir.resolve("cgroup.subtree_control")), "nothing to enable");
    }

    @Test
    void nothingToApplyIsANoOp() {
        assertDoesNotThrow(() -> cg.apply(List.of()));
    }

    @Test
    void aSettingMustNameAFileNotAPath() {
        CgroupException e = assertThrows(CgroupException.class,
                () -> new CgroupSetting("memory", "../escape", "1", "$.linux.resources.unified[\"../escape\"]"));
        assertTrue(e.getMessage().contains("../escape"), e.getMessage());
        assertTrue(e.getMessage().startsWith("$.linux.resources.unified[\"../escape\"]"), e.getMessage());
        assertThrows(CgroupException.class, () -> new CgroupSetting("memory", "memory.max/../../x", "1", "o"));
        assertThrows(CgroupException.class, () -> new CgroupSetting("memory", "..", "1", "o"));
        assertThrows(CgroupException.class, () -> new CgroupSetting("memory", "/etc/passwd", "1", "o"));
        assertDoesNotThrow(() -> new CgroupSetting("memory", "memory.max", "1", "o"));
    }
}
