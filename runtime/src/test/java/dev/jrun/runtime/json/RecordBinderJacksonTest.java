package dev.jrun.runtime.json;

import dev.jrun.runtime.spec.ConfigException;
import dev.jrun.runtime.spec.ConfigLoader;
import dev.jrun.runtime.spec.DefaultSpec;
import dev.jrun.runtime.spec.Rlimit;
import dev.jrun.runtime.spec.Spec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The fast path (MiniJson + RecordBinder) must build exactly the Spec that jrun's Jackson mapper
 * builds, and must decline (throw) whenever Jackson refuses the text, since a config the fast
 * path accepts is never shown to Jackson.
 */
class RecordBinderJacksonTest {

    static final String RICH = """
            {
              "ociVersion": "1.3.0",
              "process": {
                "terminal": false,
                "user": {"uid": 1000, "gid": 100, "umask": 18, "additionalGids": [5, 4294967295], "username": "u"},
                "args": ["/bin/sh", "-c", "echo \\"hi\\"\\n\\u00e9"],
                "env": ["PATH=/bin", "EMPTY="],
                "cwd": "/work dir",
                "capabilities": {"bounding": ["CAP_KILL", "CAP_SYS_ADMIN"], "effective": [], "permitted": ["CAP_KILL"]},
                "rlimits": [
                  {"type": "RLIMIT_NOFILE", "hard": 18446744073709551615, "soft": 18446744073709551615},
                  {"type": "RLIMIT_CORE", "hard": 9223372036854775808, "soft": 0},
                  {"type": "RLIMIT_NPROC", "hard": 4096, "soft": 1024}
                ],
                "noNewPrivileges": true,
                "oomScoreAdj": -999,
                "apparmorProfile": "unconfined"
              },
              "root": {"path": "rootfs", "readonly": true},
              "hostname": "rich",
              "domainname": "example.org",
              "mounts": [
                {"destination": "/proc", "type": "proc", "source": "proc"},
                {"destination": "/data", "type": "bind", "source": "/srv/data", "options": ["rbind", "ro", "nosuid", "rprivate"]},
                {"destination": "/tmp", "type": "tmpfs", "source": "tmpfs", "options": ["size=64k", "mode=1777"],
                 "uidMappings": [{"containerID": 0, "hostID": 100000, "size": 65536}],
                 "gidMappings": [{"containerID": 0, "hostID": 100000, "size": 65536}]}
              ],
              "hooks": {
                "prestart": [{"path": "/bin/true"}],
                "createRuntime": [{"path": "/usr/bin/hook", "args": ["hook", "create"], "env": ["X=1"], "timeout": 5}],
                "poststart": [{"path": "/bin/a", "timeout": 0}],
                "poststop": [{"path": "/bin/b", "args": [], "timeout": 2147483647}]
              },
              "annotations": {"org.example/a": "1", "org.example/empty": "", "quote": "\\"q\\""},
              "linux": {
                "uidMappings": [{"containerID": 0, "hostID": 1000, "size": 1}],
                "gidMappings": [{"containerID": 0, "hostID": 1000, "size": 1}],
                "sysctl": {"net.ipv4.ip_forward": "1", "kernel.msgmax": "65536"},
                "resources": {
                  "devices": [{"allow": false, "access": "rwm"},
                              {"allow": true, "type": "c", "major": 1, "minor": 3, "access": "rwm"},
                              {"allow": true, "type": "b", "major": 8, "access": "r"}],
                  "memory": {"limit": 9223372036854775807, "swap": -1, "disableOOMKiller": true},
                  "cpu": {"shares": 1024, "quota": -1, "period": 100000, "cpus": "0-1"},
                  "pids": {"limit": -1},
                  "blockIO": {"weight": 10, "throttleReadBpsDevice": [{"major": 8, "minor": 0, "rate": 1048576}]},
                  "hugepageLimits": [{"pageSize": "2MB", "limit": 0}],
                  "network": {"classID": 4294967295, "priorities": [{"name": "lo", "priority": 1}]},
                  "unified": {"memory.high": "max", "io.weight": "default 100"}
                },
                "cgroupsPath": "/machine.slice/rich",
                "namespaces": [{"type": "pid"}, {"type": "mount"}, {"type": "network", "path": "/run/netns/x"}],
                "devices": [{"type": "c", "path": "/dev/fuse", "major": 10, "minor": 229, "fileMode": 438, "uid": 0, "gid": 0},
                            {"type": "b", "path": "/dev/big", "major": 4095, "minor": 1048575}],
                "maskedPaths": ["/proc/kcore", "/sys/firmware"],
                "readonlyPaths": ["/proc/sys"],
                "rootfsPropagation": "rslave",
                "timeOffsets": {"monotonic": {"secs": -3600, "nanosec": 999999999}, "boottime": {"secs": 1}},
                "seccomp": {
                  "defaultAction": "SCMP_ACT_ERRNO",
                  "defaultErrnoRet": 1,
                  "architectures": ["SCMP_ARCH_X86_64"],
                  "flags": [],
                  "syscalls": [
                    {"names": ["read", "write"], "action": "SCMP_ACT_ALLOW"},
                    {"names": ["personality"], "action": "SCMP_ACT_ALLOW",
                     "args": [{"index": 0, "value": 4294967295, "valueTwo": 0, "op": "SCMP_CMP_EQ"}]},
                    {"names": ["ioctl"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38,
                     "args": [{"index": 1, "value": 18446744073709551615, "op": "SCMP_CMP_MASKED_EQ"}]}
                  ],
                  "ratio": 0.5,
                  "listenerPath": null
                },
                "personality": {"domain": "LINUX", "flags": []}
              },
              "vendor.extension": {"anything": [1, 2.5, "x", null, true]}
            }
            """;

    private static Spec jackson(String text) throws Exception {
        return ConfigLoader.mapper().readValue(text, Spec.class);
    }

    private static Spec fast(String text) {
        return RecordBinder.bind(MiniJson.parse(text), Spec.class);
    }

    private static void assertSameSpec(String text) throws Exception {
        Spec expected = jackson(text);
        assertNotNull(expected);
        assertEquals(expected, fast(text));
    }

    @Test
    void defaultSpecBindsLikeJackson() throws Exception {
        assertSameSpec(DefaultSpec.json());
        assertEquals(DefaultSpec.spec(), fast(DefaultSpec.json()));
    }

    @Test
    void runcGoldenDefaultBindsLikeJackson() throws Exception {
        try (InputStream in = Spec.class.getResourceAsStream("runc-spec-default.json")) {
            assertNotNull(in, "runc-spec-default.json test resource");
            assertSameSpec(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void richConfigBindsLikeJackson() throws Exception {
        assertSameSpec(RICH);
        Spec s = fast(RICH);
        assertEquals(Rlimit.INFINITY, s.process().rlimits().getFirst().hard());
        assertEquals(Long.MIN_VALUE, s.process().rlimits().get(1).hard());
        assertEquals(List.of(5L, 4294967295L), s.process().user().additionalGids());
        assertEquals("echo \"hi\"\n\u00e9", s.process().args().get(2));
        assertEquals(5, s.hooks().createRuntime().getFirst().timeout());
    }

    /** Small documents touching each kind of value, one by one, so a difference is easy to read. */
    @ParameterizedTest
    @ValueSource(strings = {
            "{}",
            "{\"hostname\": null}",
            "{\"annotations\": {\"a\": null}}",
            "{\"annotations\": {}}",
            "{\"mounts\": []}",
            "{\"process\": {\"user\": {}}}",
            "{\"process\": {\"rlimits\": [{\"type\": \"RLIMIT_AS\"}]}}",
            "{\"linux\": {\"seccomp\": null, \"personality\": null}}",
            "{\"linux\": {\"seccomp\": {\"defaultErrnoRet\": 1}}}",
            "{\"linux\": {\"seccomp\": {\"big\": 4294967296, \"huge\": 18446744073709551615, \"neg\": -5}}}",
            "{\"linux\": {\"seccomp\": {\"f\": 1.25, \"e\": 1e3, \"arr\": [1, \"x\", null, false, {}]}}}",
            "{\"linux\": {\"seccomp\": \"just a string\"}}",
            "{\"linux\": {\"resources\": {\"devices\": [{\"allow\": true}]}}}",
            "{\"linux\": {\"timeOffsets\": {\"monotonic\": {}}}}",
            "{\"unknown\": {\"deep\": [[[]]]}, \"ociVersion\": \"1.0.0\"}",
    })
    void smallDocumentsBindLikeJackson(String text) throws Exception {
        assertSameSpec(text);
    }

    /** Each document Jackson (jrun's strict mapper) refuses; the fast path must refuse it too. */
    @ParameterizedTest
    @ValueSource(strings = {
            "{\"process\": {\"user\": {\"uid\": \"0\"}}}",                       // string for a number
            "{\"process\": {\"user\": {\"uid\": \"\"}}}",                        // empty string for a number
            "{\"process\": {\"oomScoreAdj\": 1.5}}",                            // float for an int
            "{\"process\": {\"oomScoreAdj\": 1.0}}",                            // integral float for an int
            "{\"process\": {\"oomScoreAdj\": 2147483648}}",                     // int overflow
            "{\"hostname\": 5}",                                                // number for a string
            "{\"hostname\": true}",                                             // boolean for a string
            "{\"hostname\": {}}",                                               // object for a string
            "{\"process\": {\"terminal\": 1}}",                                 // int for a boolean
            "{\"process\": {\"terminal\": \"true\"}}",                          // string for a boolean
            "{\"process\": {\"rlimits\": [{\"type\": \"RLIMIT_CORE\", \"hard\": -1, \"soft\": 0}]}}",
            "{\"process\": {\"rlimits\": [{\"type\": \"RLIMIT_CORE\", \"hard\": 18446744073709551616, \"soft\": 0}]}}",
            "{\"process\": {\"rlimits\": [{\"type\": \"RLIMIT_CORE\", \"hard\": 1.0, \"soft\": 0}]}}",
            "{\"process\": {\"rlimits\": [{\"type\": \"RLIMIT_CORE\", \"hard\": null, \"soft\": 0}]}}",
            "{\"process\": {\"rlimits\": {}}}",                                  // object for an array
            "{\"mounts\": {}}",                                                 // object for an array
            "{\"mounts\": \"/proc\"}",                                          // string for an array
            "{\"process\": []}",                                                // array for an object
            "{\"root\": \"rootfs\"}",                                           // string for an object
            "{\"process\": {\"user\": {\"uid\": null}}}",                       // null for a primitive
            "{\"linux\": {\"resources\": {\"memory\": {\"limit\": 9223372036854775808}}}}", // long overflow
            "{\"linux\": {\"resources\": {\"pids\": {\"limit\": 1.5}}}}",       // float for a Long
            "{\"linux\": {\"devices\": [{\"path\": \"/dev/x\", \"major\": \"1\"}]}}",
            "{\"linux\": {\"timeOffsets\": {\"monotonic\": {\"secs\": \"1\"}}}}",
            "{\"linux\": {\"sysctl\": {\"a\": 1}}}",                            // number as a map value
            "{\"annotations\": {\"a\": [\"x\"]}}",                              // array as a map value
            "{\"annotations\": []}",                                            // array for a map
            "[]",                                                               // not an object at all
            "{\"hostname\": \"a\"} {}",                                         // trailing tokens
            "{\"hostname\": \"a\",}",                                           // trailing comma
    })
    void whateverJacksonRejectsTheFastPathRejects(String text) {
        assertThrows(Exception.class, () -> jackson(text), "premise: Jackson refuses " + text);
        assertThrows(RuntimeException.class, () -> fast(text), "the fast path accepted " + text);
    }

    /**
     * Jackson takes a null list element, but nothing downstream expects one: the fast path declines
     * so that the config goes through Jackson's error reporting path.
     */
    @Test
    void nullInsideAListIsDeclined() {
        assertThrows(RecordBinder.BindException.class, () -> fast("{\"process\": {\"args\": [\"sh\", null]}}"));
        assertThrows(RecordBinder.BindException.class, () -> fast("{\"mounts\": [null]}"));
    }

    /**
     * Invalid JSON hidden in a field jrun does not model (or in seccomp, bound as a raw tree): the
     * fast path must not accept what Jackson, and runc's Go decoder, refuse.
     */
    @ParameterizedTest
    @ValueSource(strings = {
            "{\"ociVersion\": \"1.0.0\", \"x-vendor\": +1}",
            "{\"ociVersion\": \"1.0.0\", \"x-vendor\": .5}",
            "{\"ociVersion\": \"1.0.0\", \"x-vendor\": 1.}",
            "{\"linux\": {\"seccomp\": {\"defaultErrnoRet\": +1}}}",
            "{\"hostname\": \"\\u+041\"}",
    })
    void invalidJsonInIgnoredOrRawFieldsIsRejected(String text) {
        assertThrows(Exception.class, () -> jackson(text), "premise: Jackson refuses " + text);
        assertThrows(RuntimeException.class, () -> fast(text), "the fast path accepted " + text);
        assertThrows(ConfigException.class, () -> ConfigLoader.parse(text, "config.json"));
    }

    /** ConfigLoader catches RuntimeException from the fast path; a StackOverflowError escapes it. */
    @Test
    void deeplyNestedConfigIsAConfigError() {
        String deep = "{\"x\": " + "[".repeat(200_000) + "]".repeat(200_000) + "}";
        Throwable t = assertThrows(Throwable.class, () -> ConfigLoader.parse(deep, "config.json"));
        assertInstanceOf(ConfigException.class, t, "got " + t);
    }

    /** Jackson reads 1 as an IntNode; a LongNode(1) is not equal to it, so the two Specs differ. */
    @Test
    void seccompIntegersGetJacksonsNodeTypes() throws Exception {
        String text = "{\"linux\": {\"seccomp\": {\"defaultErrnoRet\": 1, \"big\": 4294967296}}}";
        assertEquals(jackson(text).linux().seccomp().get("defaultErrnoRet").getClass(),
                fast(text).linux().seccomp().get("defaultErrnoRet").getClass());
        assertEquals(jackson(text).linux().seccomp().get("big").getClass(),
                fast(text).linux().seccomp().get("big").getClass());
    }

    @Test
    void bindOfNullIsNull() {
        assertNull(RecordBinder.bind(MiniJson.parse("null"), Spec.class));
    }

    @Test
    void bindErrorsNameTheJsonPath() {
        RecordBinder.BindException e = assertThrows(RecordBinder.BindException.class,
                () -> fast("{\"process\": {\"rlimits\": [{\"type\": \"X\", \"hard\": \"1\"}]}}"));
        if (!e.getMessage().contains("$.process.rlimits[0].hard")) fail(e.getMessage());
    }
}
