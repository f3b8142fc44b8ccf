package dev.jrun.linux;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Libc.mountFlagsOf on a read-only bind mount. The test JVM must not unshare, so an
 * {@code unshare -m} shell makes the mount in its own namespace and holds it while the test
 * looks at it through /proc/PID/root.
 */
class MountFlagsTest {

    /** Starts {@code unshare -m} running {@code setup} then sleeping (skips the test when that fails). */
    private static Process holdMountNamespace(String setup) throws Exception {
        assumeTrue(Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid")), "needs root");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/unshare")), "needs unshare(1)");
        Process p = new ProcessBuilder("/usr/bin/unshare", "-m", "--propagation", "private", "/bin/sh", "-c",
                setup + " && echo ready && exec sleep 20")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String line = new BufferedReader(new InputStreamReader(p.getInputStream())).readLine();
        if (!"ready".equals(line)) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
            assumeTrue(false, "could not set up mounts in a new mount namespace");
        }
        return p;
    }

    private static void stop(Process p) throws Exception {
        p.destroyForcibly();
        assertTrue(p.waitFor(5, TimeUnit.SECONDS));
    }

    @Test
    void readOnlyNosuidNodevBindMountIsReported(@TempDir Path dir) throws Exception {
        String d = dir.toRealPath().toString();
        Process p = holdMountNamespace("mount --bind " + d + " " + d + " && mount -o remount,bind,ro,nosuid,nodev " + d);
        try {
            long inside = Libc.mountFlagsOf("/proc/" + p.pid() + "/root" + d);
            assertEquals(Libc.MS_RDONLY, inside & Libc.MS_RDONLY, "ro");
            assertEquals(Libc.MS_NOSUID, inside & Libc.MS_NOSUID, "nosuid");
            assertEquals(Libc.MS_NODEV, inside & Libc.MS_NODEV, "nodev");
            assertEquals(0, inside & Libc.MS_NOEXEC, "noexec was not asked for");

            long host = Libc.mountFlagsOf(d);
            assertEquals(0, host & (Libc.MS_RDONLY | Libc.MS_NOSUID | Libc.MS_NODEV),
                    "the host's view of the same directory is untouched");
        } finally {
            stop(p);
        }
    }

    /**
     * A remount that restates mountFlagsOf() must keep what the mount has: without MS_NOSYMFOLLOW,
     * remounting a nosymfollow tmpfs read-only (RootfsBuilder.finish) silently drops nosymfollow.
     */
    @Test
    void nosymfollowNoexecNoatimeAreReported(@TempDir Path dir) throws Exception {
        String d = dir.toRealPath().toString();
        Process p = holdMountNamespace("mount -t tmpfs -o nosymfollow,noexec,noatime jrun-test " + d);
        try {
            long flags = Libc.mountFlagsOf("/proc/" + p.pid() + "/root" + d);
            assertEquals(Libc.MS_NOEXEC, flags & Libc.MS_NOEXEC, "noexec");
            assertEquals(Libc.MS_NOATIME, flags & Libc.MS_NOATIME, "noatime");
            assertEquals(0, flags & Libc.MS_RDONLY, "rw");
            assertEquals(Libc.MS_NOSYMFOLLOW, flags & Libc.MS_NOSYMFOLLOW, "nosymfollow");
        } finally {
            stop(p);
        }
    }
}
