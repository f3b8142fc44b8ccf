package dev.jrun.cgroups;

import dev.jrun.linux.Libc;
import dev.jrun.linux.LinuxException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Cgroup on the host's real cgroup2 hierarchy, under a unique /jrun-unit-UUID cgroup. */
class CgroupTest {
    private Cgroup cg;
    private final List<Process> started = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid")), "needs root");
        CgroupMode mode = CgroupMode.detect();
        assumeTrue(mode != CgroupMode.LEGACY, "needs a cgroup2 hierarchy");
        cg = new Cgroup(mode.v2Mount(), "/jrun-unit-" + UUID.randomUUID());
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Process p : started) {
            if (p.isAlive()) {
                try {
                    Libc.kill((int) p.pid(), 9); // SIGKILL also ends a frozen process
                } catch (LinuxException ignored) {
                    // exited meanwhile
                }
                p.waitFor(5, TimeUnit.SECONDS);
            }
        }
        if (cg != null) {
            if (cg.exists()) Files.writeString(cg.dir().resolve("cgroup.freeze"), "0");
            cg.destroy(5000);
        }
    }

    private Process start(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        started.add(p);
        return p;
    }

    /** utime + stime of pid, in clock ticks. */
    private static long cpuTicks(long pid) throws Exception {
        String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    @Test
    void createReportsWhetherItMadeTheCgroup() {
        assertFalse(cg.exists());
        assertTrue(cg.create(), "first create makes the directory");
        assertTrue(Files.isDirectory(cg.dir()));
        assertTrue(Files.exists(cg.dir().resolve("cgroup.procs")), "the kernel populated the cgroup");
        assertFalse(cg.create(), "second create finds it");
    }

    @Test
    void createMakesMissingParentsAndDestroyRemovesChildrenFirst() {
        Cgroup child = new Cgroup(cg.mount(), cg.path() + "/a/b");
        assertTrue(child.create());
        assertTrue(cg.exists());
        cg.destroy(2000);
        assertFalse(cg.exists());
        assertFalse(Files.exists(child.dir()));
    }

    @Test
    void addProcessThenAllPidsThenKillAll() throws Exception {
        cg.create();
        Process p = start("sleep", "30");
        cg.addProcess((int) p.pid());
        assertTrue(cg.allPids().contains((int) p.pid()), "allPids " + cg.allPids());
        assertFalse(cg.isEmpty());
        String procCgroup = Files.readString(Path.of("/proc/" + p.pid() + "/cgroup"));
        assertTrue(procCgroup.contains("0::" + cg.path() + "\n"), procCgroup);

        cg.killAll();
        assertTrue(p.waitFor(5, TimeUnit.SECONDS), "killAll ended the process");
        assertEquals(137, p.exitValue(), "killed by SIGKILL");
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (!cg.isEmpty() && System.nanoTime() < deadline) Thread.sleep(5);
        assertTrue(cg.isEmpty());
        assertTrue(cg.allPids().isEmpty());
    }

    @Test
    void allPidsIncludesChildCgroups() throws Exception {
        Cgroup child = new Cgroup(cg.mount(), cg.path() + "/sub");
        child.create();
        Process p = start("sleep", "30");
        child.addProcess((int) p.pid());
        assertEquals(List.of((int) p.pid()), cg.allPids());
        cg.killAll();
        assertTrue(p.waitFor(5, TimeUnit.SECONDS), "cgroup.kill reaches the child cgroup");
    }

    @Test
    void signalAllSendsTheSignal() throws Exception {
        cg.create();
        Process p = start("sleep", "30");
        cg.addProcess((int) p.pid());
        cg.signalAll(15);
        assertTrue(p.waitFor(5, TimeUnit.SECONDS));
        assertEquals(143, p.exitValue(), "killed by SIGTERM");
    }

    @Test
    void freezeStopsTheProcessAndThawResumesIt() throws Exception {
        cg.create();
        Process p = start("/bin/sh", "-c", "while :; do :; done");
        cg.addProcess((int) p.pid());

        cg.freeze(true, 2000);
        assertTrue(cg.isFrozen());
        long t0 = cpuTicks(p.pid());
        Thread.sleep(300);
        assertEquals(t0, cpuTicks(p.pid()), "a frozen busy loop uses no CPU");
        assertTrue(p.isAlive());

        cg.freeze(false, 2000);
        assertFalse(cg.isFrozen());
        long t1 = cpuTicks(p.pid());
        Thread.sleep(300);
        assertNotEquals(t1, cpuTicks(p.pid()), "a thawed busy loop runs again");
    }

    @Test
    void destroyRemovesTheDirectoryAndMissingIsFine() {
        cg.create();
        cg.destroy(2000);
        assertFalse(Files.exists(cg.dir()));
        cg.destroy(2000); // nothing left: no error
        assertFalse(cg.exists());
    }

    @Test
    void allPidsOfAMissingCgroupIsEmpty() {
        assertTrue(cg.allPids().isEmpty());
    }

    @Test
    void addProcessToAMissingCgroupNamesTheFile() {
        CgroupException e = assertThrows(CgroupException.class, () -> cg.addProcess(1));
        assertTrue(e.getMessage().contains(cg.dir().resolve("cgroup.procs").toString()), e.getMessage());
    }

    @Test
    void pathsLeavingTheHierarchyAreRefused() {
        assertThrows(CgroupException.class, () -> new Cgroup(cg.mount(), "/../../etc"));
        assertThrows(CgroupException.class, () -> new Cgroup(cg.mount(), "sibling"));
    }
}
