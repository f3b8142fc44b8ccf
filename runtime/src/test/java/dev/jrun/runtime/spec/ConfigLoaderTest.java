package dev.jrun.runtime.spec;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {

    /** A config using every modelled field once, with the JSON names from runtime-spec 1.3. */
    private static final String FULL = """
            {
              "ociVersion": "1.3.0",
              "process": {
                "terminal": false,
                "user": {"uid": 1000, "gid": 1000, "umask": 18, "additionalGids": [5, 6], "username": "u"},
                "args": ["/bin/sh", "-c", "true"],
                "env": ["A=b"],
                "cwd": "/tmp",
                "capabilities": {"bounding": ["CAP_KILL"], "effective": ["CAP_KILL"], "inheritable": [],
                                 "permitted": ["CAP_KILL"], "ambient": []},
                "rlimits": [{"type": "RLIMIT_CORE", "hard": 18446744073709551615, "soft": 0}],
                "noNewPrivileges": true,
                "oomScoreAdj": -500,
                "apparmorProfile": "unconfined",
                "selinuxLabel": "system_u:system_r:container_t:s0"
              },
              "root": {"path": "/var/rootfs", "readonly": false},
              "hostname": "h",
              "domainname": "example.org",
              "mounts": [{"destination": "/data", "type": "none", "source": "/srv", "options": ["rbind", "ro"],
                          "uidMappings": [{"containerID": 0, "hostID": 100000, "size": 65536}],
                          "gidMappings": [{"containerID": 0, "hostID": 100000, "size": 65536}]}],
              "hooks": {
                "prestart": [{"path": "/bin/a"}],
                "createRuntime": [{"path": "/bin/b", "args": ["b", "1"], "env": ["X=1"], "timeout": 5}],
                "createContainer": [{"path": "/bin/c"}],
                "startContainer": [{"path": "/bin/d"}],
                "poststart": [{"path": "/bin/e"}],
                "poststop": [{"path": "/bin/f"}]
              },
              "annotations": {"org.example.key": "value"},
              "linux": {
                "uidMappings": [{"containerID": 0, "hostID": 1000, "size": 1}],
                "gidMappings": [{"containerID": 0, "hostID": 1000, "size": 1}],
                "sysctl": {"net.ipv4.ip_forward": "1"},
                "resources": {
                  "devices": [{"allow": false, "access": "rwm"}, {"allow": true, "type": "c", "major": 1, "minor": 3, "access": "rw"}],
                  "memory": {"limit": 536870912, "reservation": 1, "swap": -1, "kernel": 2, "kernelTCP": 3, "swappiness": 60,
                             "disableOOMKiller": false, "useHierarchy": true, "checkBeforeUpdate": true},
                  "cpu": {"shares": 1024, "quota": 50000, "burst": 1000, "period": 100000, "realtimeRuntime": 950000,
                          "realtimePeriod": 1000000, "cpus": "0-3", "mems": "0", "idle": 0},
                  "pids": {"limit": 32},
                  "blockIO": {"weight": 500, "leafWeight": 300,
                              "weightDevice": [{"major": 8, "minor": 0, "weight": 500, "leafWeight": 300}],
                              "throttleReadBpsDevice": [{"major": 8, "minor": 0, "rate": 1}],
                              "throttleWriteBpsDevice": [{"major": 8, "minor": 0, "rate": 2}],
                              "throttleReadIOPSDevice": [{"major": 8, "minor": 0, "rate": 3}],
                              "throttleWriteIOPSDevice": [{"major": 8, "minor": 0, "rate": 4}]},
                  "hugepageLimits": [{"pageSize": "2MB", "limit": 209715200}],
                  "network": {"classID": 1048577, "priorities": [{"name": "eth0", "priority": 500}]},
                  "unified": {"memory.high": "max"}
                },
                "cgroupsPath": "/jrun/test",
                "namespaces": [{"type": "pid"}, {"type": "network", "path": "/var/run/netns/x"}],
                "devices": [{"type": "c", "path": "/dev/fuse", "major": 10, "minor": 229, "fileMode": 438, "uid": 0, "gid": 0}],
                "maskedPaths": ["/proc/kcore"],
                "readonlyPaths": ["/proc/sys"],
                "rootfsPropagation": "rslave",
                "mountLabel": "system_u:object_r:container_file_t:s0",
                "timeOffsets": {"monotonic": {"secs": 3600, "nanosec": 5}, "boottime": {"secs": -1, "nanosec": 0}},
                "seccomp": {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["kill"], "action": "SCMP_ACT_ERRNO"}]},
                "personality": {"domain": "LINUX32"}
              }
            }
            """;

    @Test
    void parsesRuncDefaultSpec() {
        Spec spec = ConfigLoader.parse(TestConfigs.runcDefault(), "config.json");
        assertEquals("1.0.2-dev", spec.ociVersion());
        assertEquals(List.of("sh"), spec.process().args());
        assertTrue(spec.process().terminalEnabled());
        assertEquals(0, spec.process().user().uid());
        assertEquals("/", spec.process().cwd());
        assertEquals(List.of("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"), spec.process().capabilities().bounding());
        assertNull(spec.process().capabilities().inheritable());
        assertEquals(List.of(new Rlimit("RLIMIT_NOFILE", 1024, 1024)), spec.process().rlimits());
        assertEquals(new Root("rootfs", true), spec.root());
        assertEquals("runc", spec.hostname());
        assertEquals(7, spec.mounts().size());
        assertEquals(new Mount("/proc", "proc", "proc", null, null, null), spec.mounts().getFirst());
        assertEquals(List.of("nosuid", "noexec", "nodev", "relatime", "ro"), spec.mounts().get(6).options());
        assertEquals(List.of(new DeviceRule(false, null, null, null, "rwm")), spec.linux().resources().devices());
        assertEquals(List.of("pid", "network", "ipc", "uts", "mount"),
                spec.linux().namespaces().stream().map(Namespace::type).toList());
        assertEquals(10, spec.linux().maskedPaths().size());
        assertEquals("/proc/sysrq-trigger", spec.linux().readonlyPaths().getLast());
        SpecValidator.validate(spec, "config.json"); // runc's own default must be acceptable
    }

    @Test
    void everyFieldRoundTripsUnderItsSpecName() throws Exception {
        Spec spec = ConfigLoader.parse(FULL, "config.json");
        String json = ConfigLoader.toJson(spec);
        // Same tree means every JSON name (classID, throttleReadIOPSDevice, timeOffsets...) is right
        // and nothing was added or lost.
        assertEquals(ConfigLoader.mapper().readTree(FULL), ConfigLoader.mapper().readTree(json));
        assertEquals(spec, ConfigLoader.parse(json, "config.json"));
        assertEquals(1048577L, spec.linux().resources().network().classID());
        assertEquals(3L, spec.linux().resources().blockIO().throttleReadIOPSDevice().getFirst().rate());
        assertEquals(new TimeOffset(3600, 5), spec.linux().timeOffsets().get("monotonic"));
        assertEquals(List.of(5L, 6L), spec.process().user().additionalGids());
        assertEquals(-500, spec.process().oomScoreAdj());
        assertEquals("SCMP_ACT_ALLOW", spec.linux().seccomp().get("defaultAction").asText());
        assertEquals(new IdMapping(0, 100000, 65536), spec.mounts().getFirst().uidMappings().getFirst());
        assertEquals(Integer.valueOf(438), spec.linux().devices().getFirst().fileMode());
    }

    @Test
    void rlimitInfinityRoundTripsAsUnsigned() {
        String json = """
                {"process": {"rlimits": [{"type": "RLIMIT_NOFILE", "hard": 18446744073709551615,
                                         "soft": 9223372036854775808}]}}""";
        Rlimit r = ConfigLoader.parse(json, "config.json").process().rlimits().getFirst();
        assertEquals(Rlimit.INFINITY, r.hard());
        assertEquals(-1L, r.hard());
        assertEquals(Long.MIN_VALUE, r.soft()); // 2^63 as an unsigned bit pattern
        String out = ConfigLoader.toJson(ConfigLoader.parse(json, "config.json"));
        assertTrue(out.contains("\"hard\":18446744073709551615"), out);
        assertTrue(out.contains("\"soft\":9223372036854775808"), out);
        assertEquals(r, ConfigLoader.parse(out, "config.json").process().rlimits().getFirst());
    }

    @Test
    void rlimitOutOfUnsignedRangeIsRejected() {
        assertError("{\"process\": {\"rlimits\": [{\"type\": \"RLIMIT_NOFILE\", \"hard\": 18446744073709551616}]}}",
                "$.process.rlimits[0].hard", "unsigned 64-bit");
        assertError("{\"process\": {\"rlimits\": [{\"type\": \"RLIMIT_NOFILE\", \"hard\": -1}]}}",
                "$.process.rlimits[0].hard", "got -1");
        assertError("{\"process\": {\"rlimits\": [{\"type\": \"RLIMIT_NOFILE\", \"soft\": null}]}}",
                "$.process.rlimits[0].soft", "expected a number, got null");
    }

    @Test
    void wrongTypeReportsLineColumnPathAndWhatWasFound() {
        String json = """
                {
                  "ociVersion": "1.3.0",
                  "process": {
                    "args": ["sh"],
                    "user": {
                      "gid": 0,
                      "uid": "root"
                    }
                  }
                }""";
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(json, "config.json"));
        assertEquals("config.json: line 7, column 14 at $.process.user.uid: expected a number, got \"root\"",
                e.getMessage());
        assertEquals("$.process.user.uid", e.jsonPath());
    }

    @Test
    void wrongTypesInsideArraysAndMapsNameTheElement() {
        assertError("{\"process\": {\"args\": [\"sh\", 1]}}", "$.process.args[1]", "expected a string, got 1");
        assertError("{\"process\": {\"args\": \"sh\"}}", "$.process.args", "expected an array, got \"sh\"");
        assertError("{\"process\": {\"user\": \"root\"}}", "$.process.user", "expected an object, got \"root\"");
        assertError("{\"linux\": {\"sysctl\": {\"net.ipv4.ip_forward\": 1}}}",
                "$.linux.sysctl[\"net.ipv4.ip_forward\"]", "expected a string, got 1");
        assertError("{\"mounts\": [{\"destination\": \"/a\"}, {\"destination\": [\"/b\"]}]}",
                "$.mounts[1].destination", "expected a string, got an array");
    }

    @Test
    void noLenientCoercions() {
        assertError("{\"process\": {\"user\": {\"uid\": 1.5}}}", "$.process.user.uid", "expected an integer, got 1.5");
        assertError("{\"process\": {\"user\": {\"uid\": null}}}", "$.process.user.uid", "expected a number, got null");
        assertError("{\"process\": {\"user\": {\"umask\": \"18\"}}}", "$.process.user.umask", "expected a number, got \"18\"");
        assertError("{\"process\": {\"user\": {\"uid\": \"\"}}}", "$.process.user.uid", "expected a number, got \"\"");
        assertError("{\"process\": {\"terminal\": 1}}", "$.process.terminal", "expected true or false, got 1");
        assertError("{\"process\": {\"terminal\": \"true\"}}", "$.process.terminal", "expected true or false, got \"true\"");
        assertError("{\"process\": {\"cwd\": true}}", "$.process.cwd", "expected a string, got true");
        assertError("{\"hooks\": {\"poststop\": [{\"path\": \"/x\", \"timeout\": 3000000000}]}}",
                "$.hooks.poststop[0].timeout", "out of range for a 32-bit integer");
        assertError("{\"linux\": {\"resources\": {\"memory\": {\"limit\": 99999999999999999999}}}}",
                "$.linux.resources.memory.limit", "out of range for a 64-bit integer");
    }

    @Test
    void absentPrimitivesDefaultToZeroLikeGo() {
        Spec spec = ConfigLoader.parse(
                "{\"process\": {\"user\": {}}, \"linux\": {\"resources\": {\"devices\": [{\"access\": \"rwm\"}]}}}",
                "config.json");
        assertEquals(new User(0, 0, null, null, null), spec.process().user());
        assertFalse(spec.linux().resources().devices().getFirst().allow());
    }

    @Test
    void malformedJsonReportsLineAndColumn() {
        String json = "{\n  \"ociVersion\": \"1.3.0\",\n  \"process\": {\n    \"args\": [\"a\" \"b\"]\n  }\n}";
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(json, "my.json"));
        assertTrue(e.getMessage().startsWith("my.json: line 4, column 18 at $.process.args"), e.getMessage());
        assertTrue(e.getMessage().contains("unexpected character"), e.getMessage());
        assertFalse(e.getMessage().contains("Source"), e.getMessage()); // Jackson's noise is stripped

        ConfigException trailingComma = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("{\"process\": {\"cwd\": \"/\",}}", "config.json"));
        assertTrue(trailingComma.getMessage().startsWith("config.json: line 1, column 25 at $.process: "),
                trailingComma.getMessage());

        ConfigException eof = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("{\"process\": {\"cwd\": \"/\"", "config.json"));
        assertTrue(eof.getMessage().contains("unexpected end of file"), eof.getMessage());
    }

    @Test
    void rejectsTrailingTokensEmptyNullAndNonObjects() {
        assertError("{\"ociVersion\": \"1.3.0\"} {}", "$", "unexpected content after the end");
        assertError("{\"ociVersion\": \"1.3.0\"} x", "$", "unrecognized token 'x'");
        assertError("  \n", "$", "file is empty");
        assertError("null", "$", "expected an object, got null");
        assertError("[1, 2]", "$", "expected an object, got an array");
    }

    @Test
    void unknownFieldsAreTolerated() {
        Spec spec = ConfigLoader.parse("""
                {"ociVersion": "1.3.0", "vendorThing": {"a": [1, 2]},
                 "process": {"args": ["sh"], "consoleSize": {"height": 1, "width": 2}, "scheduler": {"policy": "SCHED_OTHER"}},
                 "linux": {"intelRdt": {"closID": "x"}, "namespaces": [{"type": "pid", "extra": true}]}}""",
                "config.json");
        assertEquals(List.of("sh"), spec.process().args());
        assertEquals(new Namespace("pid", null), spec.linux().namespaces().getFirst());
    }

    @Test
    void jsonNullSeccompIsAbsentAndNothingSerialisesAsNull() {
        Spec spec = ConfigLoader.parse("{\"linux\": {\"seccomp\": null, \"personality\": null}}", "config.json");
        assertNull(spec.linux().seccomp());
        assertNull(spec.linux().personality());
        assertEquals("{\"linux\":{}}", ConfigLoader.toJson(spec));
        String full = ConfigLoader.toJson(DefaultSpec.spec());
        assertFalse(full.contains("null"), full);
        assertFalse(full.contains("\n"), full); // compact
    }

    @Test
    void loadReadsBundleConfig(@TempDir Path bundle) throws IOException {
        Files.writeString(bundle.resolve("config.json"), DefaultSpec.json(false, List.of("/bin/true")));
        Spec spec = ConfigLoader.load(bundle);
        assertEquals(List.of("/bin/true"), spec.process().args());
        assertFalse(spec.process().terminalEnabled());
    }

    @Test
    void loadReportsMissingConfigWithBundlePath(@TempDir Path bundle) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(bundle));
        assertEquals("config.json: no such file in bundle " + bundle, e.getMessage());
    }

    @Test
    void loadErrorsNameConfigJson(@TempDir Path bundle) throws IOException {
        Files.writeString(bundle.resolve("config.json"), "{\n\"root\": {\"path\": 7}}");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(bundle));
        assertEquals("config.json: line 2, column 18 at $.root.path: expected a string, got 7", e.getMessage());
    }

    @Test
    void mapperIsShared() {
        assertSame(ConfigLoader.mapper(), ConfigLoader.mapper());
        JsonNode tree = ConfigLoader.mapper().valueToTree(new Namespace("uts", null));
        assertEquals("{\"type\":\"uts\"}", tree.toString());
    }

    private static void assertError(String json, String path, String reason) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(json, "config.json"),
                "expected an error for " + json);
        assertNotNull(e.getMessage());
        assertTrue(e.getMessage().startsWith("config.json: "), e.getMessage());
        assertTrue(e.getMessage().contains(" " + path + ": "), "path " + path + " not in: " + e.getMessage());
        assertTrue(e.getMessage().contains(reason), "reason '" + reason + "' not in: " + e.getMessage());
    }
}
