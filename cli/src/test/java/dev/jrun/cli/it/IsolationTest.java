package dev.jrun.cli.it;

import dev.jrun.cli.it.Bundles.Bundle;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Namespaces and the root filesystem: what the container can see of the host. */
class IsolationTest extends ContainerTestSupport {

    private static final List<String> NAMESPACES = List.of("pid", "net", "ipc", "uts", "mnt");

    @Test
    void containerSeesOnlyItsOwnNamespacesAndRootfs() {
        Bundle b = newBundle();
        String marker = UUID.randomUUID().toString();
        b.writeRootfsFile("/marker.txt", marker);
        b.config.put("hostname", "jit-host");
        StringBuilder script = new StringBuilder("""
                echo pid=$$
                echo cmdline=$(tr '\\0' ' ' </proc/1/cmdline)
                echo hostname=$(hostname)
                echo procs=$(ls /proc | grep -c '^[0-9]')
                echo netdevs=$(ls /sys/class/net | tr '\\n' ' ')
                echo loflags=$(cat /sys/class/net/lo/flags)
                echo iplink=$(ip -o link show lo)
                echo mountpoints=$(cut -d' ' -f5 /proc/self/mountinfo | tr '\\n' ' ')
                echo marker=$(cat /marker.txt)
                if touch /written 2>/dev/null; then echo rootwrite=ok; else echo rootwrite=refused; fi
                """);
        for (String ns : NAMESPACES) script.append("echo ns_").append(ns).append("=$(readlink /proc/self/ns/").append(ns).append(")\n");
        String out = shOut(b, script.toString());

        assertField(out, "pid", "1"); // PID 1 of its own PID namespace
        assertTrue(field(out, "cmdline").startsWith("sh -c echo pid=$$"), "/proc/1/cmdline is the container process:\n" + out);
        assertField(out, "hostname", "jit-host");
        int procs = Integer.parseInt(field(out, "procs"));
        assertTrue(procs >= 1 && procs <= 5, "/proc shows only the container's few processes, got " + procs);
        assertField(out, "netdevs", "lo"); // new network namespace: loopback only
        int flags = Integer.decode(field(out, "loflags"));
        assertTrue((flags & 1) != 0, "lo must be UP (IFF_UP), flags=" + field(out, "loflags"));
        assertTrue(field(out, "iplink").matches(".*<[A-Z_,]*\\bUP\\b[A-Z_,]*>.*"), "ip link: lo is UP: " + field(out, "iplink"));
        // Only the configured mounts: no old root, nothing of the host's (bundle paths, /work, ...).
        for (String mp : field(out, "mountpoints").split(" ")) {
            assertTrue(mp.equals("/") || mp.matches("/(proc|dev|sys)(/.*)?"),
                    "unexpected mount point " + mp + " in the container: " + field(out, "mountpoints"));
        }
        assertField(out, "marker", marker); // the rootfs is the bundle's
        assertField(out, "rootwrite", "refused"); // root.readonly is true in this config
        assertFalse(Files.exists(b.rootfs().resolve("written")));
        long self = ProcessHandle.current().pid();
        for (String ns : NAMESPACES) {
            assertNotEquals(Host.namespaceOf(self, ns), field(out, "ns_" + ns), ns + " namespace must be new");
        }
    }

    @Test
    void writableRootWhenNotReadonly() {
        Bundle b = newBundle();
        b.readonlyRoot(false);
        String out = shOut(b, "if echo hi >/written 2>/dev/null; then echo rootwrite=ok; else echo rootwrite=refused; fi");
        assertField(out, "rootwrite", "ok");
        assertEquals("hi\n", Host.read(b.rootfs().resolve("written")), "the write lands in the bundle's rootfs");
    }

    @Test
    void joinsAnExistingNetworkNamespaceByPath() {
        String netns = "jrun-it-" + Long.toHexString(System.nanoTime());
        Host.run("ip", "netns", "add", netns).assertOk();
        onCleanup(() -> Host.run("ip", "netns", "del", netns));
        // A device only that namespace has. "dummy" needs a module this kernel may lack (it does
        // on the CI VMs); a bridge device is built in everywhere and serves the same purpose.
        if (Host.run("ip", "-n", netns, "link", "add", "d0", "type", "dummy").exit() != 0) {
            Host.run("ip", "-n", netns, "link", "add", "d0", "type", "bridge").assertOk();
        }

        Bundle b = newBundle();
        b.namespace("network", "/var/run/netns/" + netns);
        String out = shOut(b, "echo netdevs=$(ls /sys/class/net | tr '\\n' ' ')\necho ns_net=$(readlink /proc/self/ns/net)");

        List<String> devs = Arrays.asList(field(out, "netdevs").split(" "));
        assertTrue(devs.contains("d0"), "the dummy interface of the joined netns is visible: " + devs);
        assertEquals("net:[" + Host.inode("/var/run/netns/" + netns) + "]", field(out, "ns_net"), "same netns inode");
    }

    @Test
    void joinsAnotherContainersUtsNamespace() {
        Bundle a = newBundle();
        a.config.put("hostname", "a");
        a.args("sleep", "30");
        Container ca = runDetached(a);

        Bundle b = newBundle();
        b.config.remove("hostname"); // setting it would rename A's namespace too
        b.namespace("uts", "/proc/" + ca.pid() + "/ns/uts");
        String out = shOut(b, "echo hostname=$(hostname)");
        assertField(out, "hostname", "a");
    }
}
