package dev.jrun.cli.it;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jrun.cli.it.Bundles.Bundle;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** config.json mounts, masked/read-only paths, /dev, devices, sysctl, and path-escape safety. */
class MountsTest extends ContainerTestSupport {

    /** A shell line printing {@code key=ok} or {@code key=fail} for a command's success. */
    private static String check(String key, String command) {
        return "if " + command + " >/dev/null 2>&1; then echo " + key + "=ok; else echo " + key + "=fail; fi\n";
    }

    @Test
    void tmpfsBindAndSpecialMounts() throws IOException {
        Path rw = hostDir("host-rw");
        Path ro = hostDir("host-ro");
        Files.writeString(ro.resolve("existing.txt"), "ro-content");
        Path file = tmp.resolve("host-file.txt");
        Files.writeString(file, "single-file");
        // rbind: a host dir with a mount inside; only a recursive bind carries the sub-mount along.
        Path rb = hostDir("host-rbind");
        Files.createDirectories(rb.resolve("sub"));
        Host.run("mount", "-t", "tmpfs", "-o", "size=1m", "it-sub", rb.resolve("sub").toString()).assertOk();
        onCleanup(() -> Host.run("umount", "-l", rb.resolve("sub").toString()));
        Files.writeString(rb.resolve("sub/in-submount.txt"), "from-submount");

        Bundle b = newBundle();
        b.readonlyRoot(false);
        b.addMount("/mnt/tmpfs", "tmpfs", "tmpfs", "nosuid", "size=1m", "mode=0710");
        b.addMount("/mnt/rw", "bind", rw.toString(), "bind", "rw");
        b.addMount("/mnt/ro", "bind", ro.toString(), "bind", "ro", "noexec", "nosuid");
        b.addMount("/mnt/tmpfs-ro", "tmpfs", "tmpfs", "ro", "size=1m");
        b.addMount("/etc/host-file.txt", "bind", file.toString(), "bind", "ro");
        b.addMount("/mnt/rbind", "bind", rb.toString(), "rbind");
        b.sh(String.join("",
                "echo tmpfs_mode=$(stat -c %a /mnt/tmpfs)\n",
                "echo tmpfs_line=$(grep ' /mnt/tmpfs ' /proc/mounts)\n",
                check("tmpfs_write", "touch /mnt/tmpfs/x"),
                "echo written-inside >/mnt/rw/from-container.txt\n",
                "echo ro_read=$(cat /mnt/ro/existing.txt)\n",
                check("ro_write", "touch /mnt/ro/new"),
                "echo ro_opts=$(grep ' /mnt/ro ' /proc/mounts | cut -d' ' -f4)\n",
                check("tmpfs_ro_write", "touch /mnt/tmpfs-ro/x"),
                "echo file=$(cat /etc/host-file.txt)\n",
                "echo rbind=$(cat /mnt/rbind/sub/in-submount.txt)\n",
                "echo mqueue=$(grep ' /dev/mqueue ' /proc/mounts | cut -d' ' -f3)\n",
                "echo devpts=$(grep ' /dev/pts ' /proc/mounts | cut -d' ' -f3)\n",
                "echo ptmx=$(readlink /dev/ptmx)\n"));
        String out = runFg(b).assertOk().out();

        assertField(out, "tmpfs_mode", "710");
        String tmpfsLine = field(out, "tmpfs_line");
        assertTrue(tmpfsLine.startsWith("tmpfs /mnt/tmpfs tmpfs ") && tmpfsLine.contains("size=1024k")
                && tmpfsLine.contains("nosuid"), "tmpfs options applied: " + tmpfsLine);
        assertField(out, "tmpfs_write", "ok");
        assertEquals("written-inside\n", Host.read(rw.resolve("from-container.txt")), "rw bind writes reach the host");
        assertField(out, "ro_read", "ro-content");
        assertField(out, "ro_write", "fail");
        List<String> roOpts = List.of(field(out, "ro_opts").split(","));
        assertTrue(roOpts.containsAll(List.of("ro", "noexec", "nosuid")), "bind options applied by remount: " + roOpts);
        assertField(out, "tmpfs_ro_write", "fail");
        assertFalse(Files.exists(ro.resolve("new")));
        assertField(out, "file", "single-file");
        assertField(out, "rbind", "from-submount");
        assertField(out, "mqueue", "mqueue");
        assertField(out, "devpts", "devpts");
        assertField(out, "ptmx", "pts/ptmx");
    }

    @Test
    void maskedAndReadonlyPaths() {
        Bundle b = newBundle();
        b.readonlyRoot(false);
        b.writeRootfsFile("/etc/secret.txt", "top-secret");
        b.writeRootfsFile("/etc/secret-dir/inside.txt", "hidden");
        b.writeRootfsFile("/var/ro-dir/file.txt", "keep");
        b.linux().withArray("/maskedPaths").add("/etc/secret.txt").add("/etc/secret-dir");
        b.linux().withArray("/readonlyPaths").add("/var/ro-dir");
        b.sh(String.join("",
                "echo masked_file=[$(cat /etc/secret.txt)]\n",
                "echo masked_dir=[$(ls -A /etc/secret-dir)]\n",
                "echo sys_firmware=[$(ls -A /sys/firmware)]\n",     // masked directory in the default spec
                "echo timer_list_size=$(wc -c </proc/timer_list)\n",  // masked in the default spec
                check("ro_dir_write", "touch /var/ro-dir/new"),
                "echo ro_dir_read=$(cat /var/ro-dir/file.txt)\n",
                check("other_write", "touch /var/other"),
                check("proc_sys_write", "sh -c 'echo 1 >/proc/sys/net/ipv4/ip_forward'"))); // /proc/sys is read-only
        String out = runFg(b).assertOk().out();

        assertField(out, "masked_file", "[]");
        assertField(out, "masked_dir", "[]");
        assertField(out, "timer_list_size", "0");
        assertField(out, "sys_firmware", "[]");
        assertField(out, "ro_dir_write", "fail");
        assertField(out, "ro_dir_read", "keep");
        assertField(out, "other_write", "ok");
        assertField(out, "proc_sys_write", "fail");
        assertEquals("top-secret", Host.read(b.rootfs().resolve("etc/secret.txt")), "masking must not touch the file");
    }

    @Test
    void devContainsTheStandardDevicesAndConfiguredOnes() {
        Bundle b = newBundle();
        ObjectNode fuse = b.linux().withArray("/devices").addObject();
        fuse.put("path", "/dev/fuse").put("type", "c").put("major", 10).put("minor", 229)
                .put("fileMode", 0640).put("uid", 0).put("gid", 0);
        ObjectNode custom = b.linux().withArray("/devices").addObject();
        custom.put("path", "/dev/it-char").put("type", "c").put("major", 1).put("minor", 3).put("fileMode", 0600);
        StringBuilder s = new StringBuilder();
        for (String d : List.of("null", "zero", "full", "random", "urandom", "tty")) {
            s.append("echo dev_").append(d).append("=$(stat -c '%F %t %T' /dev/").append(d).append(")\n");
        }
        for (String l : List.of("fd", "stdin", "stdout", "stderr")) {
            s.append("echo link_").append(l).append("=$(readlink /dev/").append(l).append(")\n");
        }
        s.append("echo fuse=$(stat -c '%F %t %T %a' /dev/fuse)\n");
        s.append("echo custom=$(stat -c '%F %t %T %a' /dev/it-char)\n");
        s.append(check("null_write", "sh -c 'echo x >/dev/null'"));
        s.append("echo zero_read=$(head -c 4 /dev/zero | od -An -tx1 | tr -d ' ')\n");
        String out = shOut(b, s.toString());

        String[][] expected = {{"null", "1 3"}, {"zero", "1 5"}, {"full", "1 7"}, {"random", "1 8"},
                {"urandom", "1 9"}, {"tty", "5 0"}};
        for (String[] e : expected) {
            assertField(out, "dev_" + e[0], "character special file " + e[1]);
        }
        assertField(out, "link_fd", "/proc/self/fd");
        assertField(out, "link_stdin", "/proc/self/fd/0");
        assertField(out, "link_stdout", "/proc/self/fd/1");
        assertField(out, "link_stderr", "/proc/self/fd/2");
        assertField(out, "fuse", "character special file a e5 640"); // stat prints major/minor in hex
        assertField(out, "custom", "character special file 1 3 600");
        assertField(out, "null_write", "ok");
        assertField(out, "zero_read", "00000000");
    }

    @Test
    void deviceNodesShippedInTheImageAreUnusableWhileDeviceRulesDeny() throws Exception {
        // A node in the image (here a harmless copy of /dev/null, c 1:3): runc's default rules deny
        // it, and until the BPF device program lands jrun enforces that with a nodev rootfs.
        Bundle b = newBundle();
        Path node = b.rootfs().resolve("imagedev");
        assertEquals(0, new ProcessBuilder("mknod", "-m", "0666", node.toString(), "c", "1", "3").start().waitFor());
        String out = shOut(b, "if echo x > /imagedev; then echo image_node=usable; else echo image_node=denied; fi;"
                + " if echo x > /dev/null; then echo dev_null=usable; fi");
        assertField(out, "image_node", "denied");
        assertField(out, "dev_null", "usable");

        // With rules that allow every device (a privileged container) the node works.
        Bundle priv = newBundle();
        Path node2 = priv.rootfs().resolve("imagedev");
        assertEquals(0, new ProcessBuilder("mknod", "-m", "0666", node2.toString(), "c", "1", "3").start().waitFor());
        var rules = priv.linux().withObject("/resources").putArray("devices");
        rules.addObject().put("allow", true).put("access", "rwm");
        String out2 = shOut(priv, "if echo x > /imagedev; then echo image_node=usable; else echo image_node=denied; fi");
        assertField(out2, "image_node", "usable");
    }

    @Test
    void sysctlIsSetInsideOnly() {
        String hostBefore = Host.read(Path.of("/proc/sys/net/ipv4/ip_forward")).trim();
        String wanted = hostBefore.equals("1") ? "0" : "1";
        Bundle b = newBundle();
        b.linux().withObject("/sysctl").put("net.ipv4.ip_forward", wanted);
        String out = shOut(b, "echo ip_forward=$(cat /proc/sys/net/ipv4/ip_forward)");
        assertField(out, "ip_forward", wanted);
        assertEquals(hostBefore, Host.read(Path.of("/proc/sys/net/ipv4/ip_forward")).trim(), "host's value unchanged");
    }

    @Test
    void mountThroughASymlinkStaysInsideTheRootfs() throws IOException {
        // rootfs/evil -> <host dir> (absolute): must resolve as <rootfs>/<host dir>, never the host's.
        Path hostTarget = hostDir("host-target");
        Files.writeString(hostTarget.resolve("original.txt"), "untouched");
        Path source = hostDir("bind-source");
        Files.writeString(source.resolve("from-source.txt"), "source");

        Bundle b = newBundle();
        b.readonlyRoot(false);
        Files.createSymbolicLink(b.rootfs().resolve("evil"), hostTarget);
        b.addMount("/evil", "bind", source.toString(), "bind");
        String out = shOut(b, "echo seen=$(ls /evil/ | tr '\\n' ' ')\n"
                + "echo via-symlink >/evil/written.txt\n");

        List<String> hostFiles;
        try (var s = Files.list(hostTarget)) {
            hostFiles = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(List.of("original.txt"), hostFiles, "the host directory behind the symlink must not change");
        assertFalse(Host.isMountPoint(hostTarget), "the host directory must not be a mount point");
        assertField(out, "seen", "from-source.txt"); // the bind landed where the container sees /evil
        assertEquals("via-symlink\n", Host.read(source.resolve("written.txt")), "writes through /evil reach the bind source");
        // The mount point was created inside the rootfs, at the symlink's target taken as a rootfs path.
        assertTrue(Files.isDirectory(b.rootfs().resolve(hostTarget.toString().substring(1))),
                "mount point created under the rootfs");
    }

    @Test
    void noPivotRunsInTheBundleRootfs() {
        Bundle b = newBundle();
        b.writeRootfsFile("/marker.txt", "no-pivot-marker");
        b.sh("echo marker=$(cat /marker.txt)\necho pid=$$\necho root=$(ls / | tr '\\n' ' ')");
        String out = runFg(b, "--no-pivot").assertOk().out();
        assertField(out, "marker", "no-pivot-marker");
        assertField(out, "pid", "1");
        assertTrue(field(out, "root").contains("bin") && !field(out, "root").contains("boot"),
                "/ is the bundle's rootfs: " + field(out, "root"));
    }
}
