package dev.jrun.runtime.spec;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.function.Consumer;

import static dev.jrun.runtime.spec.TestConfigs.obj;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each rule: the default spec with exactly one thing broken must fail with file, path and reason. */
class SpecValidatorTest {

    private static final String FILE = "bundle/config.json";

    @Test
    void defaultSpecIsValid() {
        assertDoesNotThrow(() -> SpecValidator.validate(DefaultSpec.spec(), FILE));
    }

    @Test
    void ociVersion() {
        invalid(t -> t.remove("ociVersion"), "$.ociVersion", "is required");
        invalid(t -> t.put("ociVersion", "2.0.0"), "$.ociVersion", "unsupported version \"2.0.0\"");
        invalid(t -> t.put("ociVersion", "latest"), "$.ociVersion", "not a valid version");
        valid(t -> t.put("ociVersion", "1.0.2-dev"));
        valid(t -> t.put("ociVersion", "1.2.1"));
    }

    @Test
    void process() {
        invalid(t -> t.remove("process"), "$.process", "is required");
        invalid(t -> obj(t, "/process").remove("args"), "$.process.args", "must not be empty");
        invalid(t -> obj(t, "/process").putArray("args"), "$.process.args", "must not be empty");
        invalid(t -> obj(t, "/process").putArray("args").add(""), "$.process.args[0]", "must not be empty");
        invalid(t -> obj(t, "/process").putArray("args").add("sh").addNull(), "$.process.args[1]",
                "expected a string, got null");
        invalid(t -> obj(t, "/process").put("cwd", "tmp"), "$.process.cwd", "must be an absolute path, got \"tmp\"");
        invalid(t -> obj(t, "/process").put("cwd", ""), "$.process.cwd", "must be an absolute path");
        valid(t -> obj(t, "/process").remove("cwd")); // defaults to "/"
        invalid(t -> obj(t, "/process").put("oomScoreAdj", 1001), "$.process.oomScoreAdj", "between -1000 and 1000");
    }

    @Test
    void user() {
        invalid(t -> obj(t, "/process/user").put("uid", 4294967296L), "$.process.user.uid", "range 0-2147483647");
        // 4294967295 is -1 to setresuid: "leave unchanged", which would keep the process root
        invalid(t -> obj(t, "/process/user").put("uid", 4294967295L), "$.process.user.uid", "range 0-2147483647");
        invalid(t -> obj(t, "/process/user").put("gid", 2147483648L), "$.process.user.gid", "range 0-2147483647");
        valid(t -> obj(t, "/process/user").put("uid", 2147483647L));
        invalid(t -> obj(t, "/process/user").put("gid", -1), "$.process.user.gid", "range 0-2147483647");
        invalid(t -> obj(t, "/process/user").put("umask", 01000), "$.process.user.umask", "between 0 and 0777");
        invalid(t -> obj(t, "/process/user").putArray("additionalGids").add(1).add(-5),
                "$.process.user.additionalGids[1]", "range 0-2147483647");
    }

    @Test
    void rootAndLinuxRequired() {
        invalid(t -> t.remove("root"), "$.root", "is required");
        invalid(t -> obj(t, "/root").put("path", ""), "$.root.path", "must not be empty");
        invalid(t -> obj(t, "/root").remove("path"), "$.root.path", "must not be empty");
        invalid(t -> t.remove("linux"), "$.linux", "is required");
    }

    @Test
    void capabilities() {
        invalid(t -> ((ArrayNode) t.at("/process/capabilities/bounding")).add("CAP_FOO"),
                "$.process.capabilities.bounding[3]", "unknown capability \"CAP_FOO\"");
        invalid(t -> obj(t, "/process/capabilities").putArray("ambient").add("cap_kill"),
                "$.process.capabilities.ambient[0]", "unknown capability \"cap_kill\"");
        invalid(t -> obj(t, "/process/capabilities").putArray("inheritable").add("KILL"),
                "$.process.capabilities.inheritable[0]", "unknown capability");
        valid(t -> {
            ArrayNode all = obj(t, "/process/capabilities").putArray("permitted");
            CapabilityNames.all().forEach(all::add);
        });
    }

    @Test
    void rlimits() {
        invalid(t -> rlimits(t).addObject().put("type", "RLIMIT_FOO"), "$.process.rlimits[1].type",
                "unknown rlimit type \"RLIMIT_FOO\"");
        invalid(t -> rlimits(t).addObject().put("type", "NOFILE"), "$.process.rlimits[1].type", "unknown rlimit type");
        invalid(t -> rlimits(t).addObject().put("type", "RLIMIT_NOFILE"), "$.process.rlimits[1].type",
                "RLIMIT_NOFILE is set more than once");
        invalid(t -> rlimits(t).addObject().put("type", "RLIMIT_CORE").put("hard", 10).put("soft", 11),
                "$.process.rlimits[1]", "soft limit 11 is greater than hard limit 10");
        // Unsigned compare: soft = RLIM_INFINITY is greater than any finite hard limit.
        invalid(t -> rlimits(t).addObject().put("type", "RLIMIT_CORE").put("hard", 10)
                        .put("soft", new BigInteger("18446744073709551615")),
                "$.process.rlimits[1]", "soft limit 18446744073709551615 is greater than hard limit 10");
        valid(t -> rlimits(t).addObject().put("type", "RLIMIT_CORE").put("soft", 10)
                .put("hard", new BigInteger("18446744073709551615")));
    }

    @Test
    void hostnameAndDomainnameNeedPrivateUts() {
        invalid(t -> removeNamespace(t, "uts"), "$.hostname", "unable to set hostname without a private UTS namespace");
        // a joined UTS namespace (a pod's) may be named, as runc allows and podman relies on
        valid(t -> namespace(t, "uts").put("path", "/proc/1/ns/uts"));
        invalid(t -> {
            t.remove("hostname");
            t.put("domainname", "example.org");
            removeNamespace(t, "uts");
        }, "$.domainname", "unable to set domainname without a private UTS namespace");
        valid(t -> {
            t.remove("hostname");
            removeNamespace(t, "uts");
        });
    }

    @Test
    void namespaces() {
        invalid(t -> namespaces(t).addObject().put("type", "foo"), "$.linux.namespaces[5].type",
                "unknown namespace type \"foo\"");
        invalid(t -> namespaces(t).addObject().put("type", "pid"), "$.linux.namespaces[5].type",
                "namespace type \"pid\" is listed more than once");
        invalid(t -> namespaces(t).addObject(), "$.linux.namespaces[5].type", "is required");
        invalid(t -> namespaces(t).addObject().put("type", "user"), "$.linux.namespaces[5]",
                "user namespaces are not supported yet");
        invalid(t -> namespace(t, "network").put("path", "netns/x"), "$.linux.namespaces[1].path",
                "must be an absolute path");
        valid(t -> namespaces(t).addObject().put("type", "cgroup"));
        valid(t -> namespace(t, "network").put("path", "/var/run/netns/x"));
    }

    @Test
    void idMappingsNeedUserNamespace() {
        invalid(t -> obj(t, "/linux").putArray("uidMappings").addObject().put("containerID", 0).put("hostID", 1000)
                .put("size", 1), "$.linux.uidMappings", "user namespace");
        invalid(t -> obj(t, "/linux").putArray("gidMappings").addObject().put("size", 1),
                "$.linux.gidMappings", "user namespace");
    }

    @Test
    void timeNamespaceAndOffsets() {
        invalid(t -> offsets(t).putObject("monotonic").put("secs", 10), "$.linux.timeOffsets",
                "requires a new time namespace");
        invalid(t -> {
            namespaces(t).addObject().put("type", "time").put("path", "/proc/1/ns/time");
            offsets(t).putObject("monotonic").put("secs", 10);
        }, "$.linux.timeOffsets", "cannot be set when joining an existing time namespace");
        invalid(t -> {
            namespaces(t).addObject().put("type", "time");
            offsets(t).putObject("realtime").put("secs", 10);
        }, "$.linux.timeOffsets.realtime", "unknown clock \"realtime\"");
        invalid(t -> {
            namespaces(t).addObject().put("type", "time");
            offsets(t).putObject("boottime").put("nanosec", 1_000_000_000L);
        }, "$.linux.timeOffsets.boottime.nanosec", "between 0 and 999999999");
        valid(t -> {
            namespaces(t).addObject().put("type", "time");
            offsets(t).putObject("monotonic").put("secs", -10).put("nanosec", 5);
        });
        valid(t -> namespaces(t).addObject().put("type", "time").put("path", "/proc/1/ns/time"));
    }

    @Test
    void mounts() {
        invalid(t -> obj(t, "/mounts/2").put("destination", "dev"), "$.mounts[2].destination",
                "must be an absolute path, got \"dev\"");
        invalid(t -> obj(t, "/mounts/0").remove("destination"), "$.mounts[0].destination", "is required");
        invalid(t -> obj(t, "/mounts/0").remove("type"), "$.mounts[0].type", "required unless options contain bind");
        valid(t -> mounts(t).addObject().put("destination", "/data").put("source", "/srv")
                .putArray("options").add("rbind").add("ro"));
        valid(t -> mounts(t).addObject().put("destination", "/data").put("source", "/srv")
                .putArray("options").add("bind"));
        // Unknown option strings are the runtime's business, not a config error.
        valid(t -> mounts(t).addObject().put("destination", "/x").put("type", "tmpfs").put("source", "tmpfs")
                .putArray("options").add("nonsense-option").add("x-foo=bar"));
    }

    @Test
    void sysctl() {
        invalid(t -> {
            removeNamespace(t, "network");
            sysctl(t).put("net.ipv4.ip_forward", "1");
        }, "$.linux.sysctl[\"net.ipv4.ip_forward\"]", "requires a network namespace");
        valid(t -> sysctl(t).put("net.ipv4.ip_forward", "1"));
        valid(t -> {
            namespace(t, "network").put("path", "/var/run/netns/x"); // joined netns, allowed as in runc
            sysctl(t).put("net.core.somaxconn", "1024");
        });
        invalid(t -> {
            removeNamespace(t, "ipc");
            sysctl(t).put("kernel.shmmax", "1");
        }, "$.linux.sysctl[\"kernel.shmmax\"]", "requires an ipc namespace");
        invalid(t -> {
            removeNamespace(t, "ipc");
            sysctl(t).put("fs.mqueue.msg_max", "1");
        }, "$.linux.sysctl[\"fs.mqueue.msg_max\"]", "requires an ipc namespace");
        valid(t -> sysctl(t).put("kernel.msgmax", "1").put("fs.mqueue.queues_max", "1"));
        invalid(t -> {
            t.remove("hostname");
            removeNamespace(t, "uts");
            sysctl(t).put("kernel.domainname", "x");
        }, "$.linux.sysctl[\"kernel.domainname\"]", "requires a uts namespace");
        invalid(t -> sysctl(t).put("vm.swappiness", "1"), "$.linux.sysctl[\"vm.swappiness\"]",
                "sysctl \"vm.swappiness\" is not namespaced / not allowed in a container");
        invalid(t -> sysctl(t).put("kernel.msgmax", "1").put("kernel.panic", "1"),
                "$.linux.sysctl[\"kernel.panic\"]", "not namespaced");
        invalid(t -> sysctl(t).put("net.ipv4/../../x", "1"), "$.linux.sysctl[\"net.ipv4/../../x\"]",
                "must not contain");
        invalid(t -> sysctl(t).put("net..ipv4", "1"), "$.linux.sysctl[\"net..ipv4\"]", "must not contain");
    }

    @Test
    void devices() {
        invalid(t -> device(t).put("type", "x"), "$.linux.devices[0].type", "must be one of c, b, u, p, got \"x\"");
        invalid(t -> device(t).put("path", "dev/fuse"), "$.linux.devices[0].path", "absolute path under /dev");
        invalid(t -> device(t).put("path", "/etc/fuse"), "$.linux.devices[0].path", "absolute path under /dev");
        invalid(t -> device(t).put("path", "/dev/../etc/shadow"), "$.linux.devices[0].path", "under /dev");
        invalid(t -> device(t).put("path", "/dev"), "$.linux.devices[0].path", "under /dev");
        invalid(t -> device(t).put("fileMode", 010000), "$.linux.devices[0].fileMode", "between 0 and 07777");
        invalid(t -> device(t).put("fileMode", -1), "$.linux.devices[0].fileMode", "between 0 and 07777");
        valid(t -> device(t).put("fileMode", 07777));
        valid(t -> device(t).put("type", "p").put("path", "/dev/fifo").remove(java.util.List.of("major", "minor")));
    }

    @Test
    void deviceCgroupRules() {
        invalid(t -> ((ArrayNode) t.at("/linux/resources/devices")).addObject().put("type", "x"),
                "$.linux.resources.devices[1].type", "must be one of a, b, c");
        invalid(t -> ((ArrayNode) t.at("/linux/resources/devices")).addObject().put("access", "rwx"),
                "$.linux.resources.devices[1].access", "r, w and m");
    }

    @Test
    void maskedAndReadonlyPaths() {
        invalid(t -> ((ArrayNode) t.at("/linux/maskedPaths")).add("proc/kcore"), "$.linux.maskedPaths[10]",
                "must be an absolute path, got \"proc/kcore\"");
        invalid(t -> ((ArrayNode) t.at("/linux/readonlyPaths")).insert(0, "sys"), "$.linux.readonlyPaths[0]",
                "must be an absolute path");
    }

    @Test
    void hooks() {
        invalid(t -> t.putObject("hooks").putArray("prestart").addObject().put("path", "hook.sh"),
                "$.hooks.prestart[0].path", "must be an absolute path, got \"hook.sh\"");
        invalid(t -> t.putObject("hooks").putArray("createRuntime").addObject(),
                "$.hooks.createRuntime[0].path", "must be an absolute path, got null");
        invalid(t -> {
            ArrayNode list = t.putObject("hooks").putArray("poststop");
            list.addObject().put("path", "/bin/ok");
            list.addObject().put("path", "/bin/true").put("timeout", 0);
        }, "$.hooks.poststop[1].timeout", "must be greater than zero, got 0");
        invalid(t -> t.putObject("hooks").putArray("startContainer").addObject().put("path", "/x").put("timeout", -3),
                "$.hooks.startContainer[0].timeout", "greater than zero");
        valid(t -> t.putObject("hooks").putArray("createContainer").addObject().put("path", "/x").put("timeout", 1));
    }

    @Test
    void rootfsPropagation() {
        invalid(t -> obj(t, "/linux").put("rootfsPropagation", "bogus"), "$.linux.rootfsPropagation",
                "unknown propagation \"bogus\"");
        for (String ok : new String[] {"", "private", "rprivate", "slave", "rslave", "shared", "rshared",
                "unbindable", "runbindable"}) {
            valid(t -> obj(t, "/linux").put("rootfsPropagation", ok));
        }
    }

    @Test
    void cgroupsPath() {
        invalid(t -> obj(t, "/linux").put("cgroupsPath", "../../etc"), "$.linux.cgroupsPath", "must not escape");
        invalid(t -> obj(t, "/linux").put("cgroupsPath", "/a/../../b"), "$.linux.cgroupsPath", "must not escape");
        valid(t -> obj(t, "/linux").put("cgroupsPath", "/jrun/a/../b"));
        valid(t -> obj(t, "/linux").put("cgroupsPath", "system.slice:jrun:abc"));
    }

    // ---- helpers -----------------------------------------------------------------------------

    private static void invalid(Consumer<ObjectNode> edit, String path, String reason) {
        ObjectNode tree = TestConfigs.defaultTree();
        edit.accept(tree);
        Spec spec = TestConfigs.parse(tree);
        ConfigException e = assertThrows(ConfigException.class, () -> SpecValidator.validate(spec, FILE),
                "expected " + path + " to be rejected in " + tree);
        String msg = e.getMessage();
        assertTrue(msg.startsWith(FILE + ": " + path + ": "), "file/path '" + path + "' not at start of: " + msg);
        assertTrue(msg.contains(reason), "reason '" + reason + "' not in: " + msg);
        assertEquals(path, e.jsonPath());
    }

    private static void valid(Consumer<ObjectNode> edit) {
        ObjectNode tree = TestConfigs.defaultTree();
        edit.accept(tree);
        Spec spec = TestConfigs.parse(tree);
        assertDoesNotThrow(() -> SpecValidator.validate(spec, FILE), tree::toString);
    }

    private static ArrayNode rlimits(ObjectNode t) {
        return (ArrayNode) t.at("/process/rlimits");
    }

    private static ArrayNode mounts(ObjectNode t) {
        return (ArrayNode) t.at("/mounts");
    }

    private static ArrayNode namespaces(ObjectNode t) {
        return (ArrayNode) t.at("/linux/namespaces");
    }

    private static ObjectNode namespace(ObjectNode t, String type) {
        for (var ns : namespaces(t)) {
            if (ns.get("type").asText().equals(type)) {
                return (ObjectNode) ns;
            }
        }
        throw new IllegalArgumentException(type);
    }

    private static void removeNamespace(ObjectNode t, String type) {
        ArrayNode list = namespaces(t);
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).get("type").asText().equals(type)) {
                list.remove(i);
                return;
            }
        }
        throw new IllegalArgumentException(type);
    }

    private static ObjectNode sysctl(ObjectNode t) {
        return obj(t, "/linux").withObjectProperty("sysctl");
    }

    private static ObjectNode offsets(ObjectNode t) {
        return obj(t, "/linux").withObjectProperty("timeOffsets");
    }

    private static ObjectNode device(ObjectNode t) {
        ArrayNode devices = obj(t, "/linux").withArrayProperty("devices");
        if (devices.isEmpty()) {
            devices.addObject().put("type", "c").put("path", "/dev/fuse").put("major", 10).put("minor", 229);
        }
        return (ObjectNode) devices.get(0);
    }
}
