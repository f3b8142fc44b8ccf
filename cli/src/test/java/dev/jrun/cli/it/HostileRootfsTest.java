package dev.jrun.cli.it;

import dev.jrun.cli.it.Bundles.Bundle;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Images whose symlinks try to steer jrun's mounts, and configs that stack mounts: every path in
 * the rootfs is resolved inside it, and what jrun does to one mount never reaches another.
 */
class HostileRootfsTest extends ContainerTestSupport {

    /** A tmpfs mounted on the host for this test (unmounted by the cleanup). */
    private Path hostTmpfs(String name) throws Exception {
        return hostTmpfsAt(hostDir(name));
    }

    private static void mknodNull(Path at) throws Exception {
        assertEquals(0, new ProcessBuilder("mknod", "-m", "0666", at.toString(), "c", "1", "3").start().waitFor());
    }

    private static String hostMountOptions(Path dir) {
        for (String line : Host.mountsMentioning(dir.toString())) {
            if (Host.mountPoint(line).equals(dir.toString())) return line.split(" ")[5];
        }
        return "";
    }

    @Test
    void readOnlyTmpfsRemountNeverReachesAMountStackedOverIt() throws Exception {
        Path host = hostTmpfs("host-tmpfs");
        Bundle b = newBundle();
        b.addMount("/stack", "tmpfs", "tmpfs", "ro");
        b.addMount("/stack", "bind", host.toString(), "bind");
        shOut(b, "true");
        assertTrue(hostMountOptions(host).startsWith("rw"), "the host's tmpfs must stay rw: " + hostMountOptions(host));
    }

    @Test
    void aDestinationThatResolvesToTheRootIsRefused() throws IOException {
        Bundle b = newBundle();
        Files.createSymbolicLink(b.rootfs().resolve("data"), Path.of("/"));
        b.addMount("/data", "bind", hostDir("volume").toString(), "rbind", "ro");
        b.save();
        jrun.call("run", "--bundle", b.dir.toString(), newId()).assertError("resolves to the root of the rootfs");
    }

    @Test
    void aSymlinkIntoDevDoesNotExemptABindFromNodev() throws Exception {
        Path vol = hostDir("vol");
        mknodNull(vol.resolve("node"));
        Bundle b = newBundle();
        Files.createDirectories(b.rootfs().resolve("dev"));
        Files.createSymbolicLink(b.rootfs().resolve("data"), Path.of("/dev/vol"));
        b.addMount("/data", "bind", vol.toString(), "bind");
        String out = shOut(b, "if echo x > /dev/vol/node; then echo node=usable; else echo node=denied; fi");
        assertField(out, "node", "denied");
    }

    @Test
    void submountsOfAnRbindAreNodevToo() throws Exception {
        Path vol = hostDir("rvol");
        Path sub = Files.createDirectories(vol.resolve("sub"));
        Path mounted = hostTmpfsAt(sub);
        mknodNull(mounted.resolve("node"));
        Bundle b = newBundle();
        b.addMount("/vol", "bind", vol.toString(), "rbind");
        String out = shOut(b, "if echo x > /vol/sub/node; then echo node=usable; else echo node=denied; fi");
        assertField(out, "node", "denied");
    }

    private Path hostTmpfsAt(Path dir) throws Exception {
        assertEquals(0, new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "jrun-it", dir.toString()).start().waitFor());
        onCleanup(() -> {
            try {
                new ProcessBuilder("umount", "-l", dir.toString()).start().waitFor();
            } catch (Exception ignored) {
                // reported by the leak check
            }
        });
        return dir;
    }

    @Test
    void deviceNumbersOutOfRangeAreRefusedNotAliased() {
        Bundle b = newBundle();
        var d = b.linux().withArray("/devices").addObject();
        d.put("path", "/dev/weird").put("type", "c").put("major", 4097).put("minor", 3);
        b.save();
        jrun.call("run", "--bundle", b.dir.toString(), newId()).assertError("out of range");
    }

    @Test
    void withoutADevMountJrunsDevStillHoldsTheConfiguredSubmounts() {
        Bundle b = newBundle();
        var mounts = b.mounts();
        for (int i = mounts.size() - 1; i >= 0; i--) {
            if (mounts.get(i).path("destination").asText().equals("/dev")) mounts.remove(i);
        }
        String out = shOut(b, "echo pts=$(ls -d /dev/pts 2>/dev/null); echo shm=$(ls -d /dev/shm 2>/dev/null);"
                + " echo null=$(ls /dev/null)");
        assertField(out, "pts", "/dev/pts");
        assertField(out, "shm", "/dev/shm");
        assertField(out, "null", "/dev/null");
    }

    @Test
    void aRelativeDanglingSymlinkIsTakenFromWhereItReallyIs() throws IOException {
        Bundle b = newBundle();
        b.readonlyRoot(false);
        Path deep = Files.createDirectories(b.rootfs().resolve("real/deep"));
        Files.createSymbolicLink(b.rootfs().resolve("lnk"), Path.of("/real/deep"));
        Files.createSymbolicLink(deep.resolve("d"), Path.of("../target"));
        b.addMount("/lnk/d", "tmpfs", "tmpfs");
        String out = shOut(b, "echo fs=$(stat -f -c %T /real/target)");
        assertField(out, "fs", "tmpfs");
        assertTrue(Files.isDirectory(b.rootfs().resolve("real/target")), "created where the link really points");
        assertTrue(!Files.exists(b.rootfs().resolve("target")), "nothing stray at the rootfs top: " + List.of());
    }
}
