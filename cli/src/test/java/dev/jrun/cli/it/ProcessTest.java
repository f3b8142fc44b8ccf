package dev.jrun.cli.it;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jrun.cli.it.Bundles.Bundle;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** config.json process: args, env, cwd, user, umask, rlimits, capabilities, no_new_privs, OOM score. */
class ProcessTest extends ContainerTestSupport {

    @Test
    void argsEnvCwdUserUmaskRlimitsAndOomScore() throws Exception {
        Bundle b = newBundle();
        Files.createDirectories(b.rootfs().resolve("work/dir"));
        b.process().put("cwd", "/work/dir");
        b.addEnv("IT_GREETING=hello world", "IT_EMPTY=");
        ObjectNode user = b.process().putObject("user");
        user.put("uid", 1234).put("gid", 2345).put("umask", 0027);
        user.putArray("additionalGids").add(3456).add(4567);
        ArrayNode rl = b.process().putArray("rlimits");
        rl.addObject().put("type", "RLIMIT_NOFILE").put("soft", 321).put("hard", 654);
        b.process().put("oomScoreAdj", 123);
        // args are passed verbatim (no shell re-splitting): the 3rd and 4th stay single words.
        b.args("sh", "-c", """
                echo argc=$#
                echo arg1=$1
                echo arg2=$2
                echo pwd=$(pwd)
                echo greeting=$IT_GREETING
                echo env_has_empty=$(env | grep -c '^IT_EMPTY=$')
                echo path=$PATH
                echo uid=$(id -u) gid=$(id -g)
                echo groups=$(id -G)
                echo umask=$(umask)
                echo nofile_soft=$(ulimit -n)
                echo nofile_hard=$(ulimit -Hn)
                echo oom=$(cat /proc/self/oom_score_adj)
                """, "zero", "one two", "three  four");
        String out = runFg(b).assertOk().out();

        assertField(out, "argc", "2");
        assertField(out, "arg1", "one two");
        assertEquals("arg2=three four", out.lines().filter(l -> l.startsWith("arg2=")).findFirst().orElseThrow()
                .replaceAll(" +", " "), "echo collapses the spaces, the word itself arrived whole");
        assertField(out, "pwd", "/work/dir");
        assertField(out, "greeting", "hello world");
        assertField(out, "env_has_empty", "1");
        assertField(out, "path", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        assertTrue(out.contains("uid=1234 gid=2345"), out);
        List<String> groups = Arrays.asList(field(out, "groups").split(" "));
        assertTrue(groups.containsAll(List.of("2345", "3456", "4567")) && groups.size() == 3,
                "id -G shows the gid and additionalGids only: " + groups);
        assertField(out, "umask", "0027");
        assertField(out, "nofile_soft", "321");
        assertField(out, "nofile_hard", "654");
        assertField(out, "oom", "123");
    }

    @Test
    void missingCwdIsCreatedLikeRunc() {
        // runc creates process.cwd in the rootfs when it does not exist (before the read-only remount).
        Bundle b = newBundle();
        b.process().put("cwd", "/does/not/exist/yet");
        assertField(shOut(b, "echo pwd=$(pwd)"), "pwd", "/does/not/exist/yet");
    }

    @Test
    void environmentIsExactlyTheConfiguredOne() {
        // Nothing of jrun's own (its init's LC_ALL, sync fd variable, JAVA_*) may reach the process;
        // like runc, HOME is added from /etc/passwd when the config has none.
        Bundle b = newBundle();
        b.addEnv("IT_VAR=1");
        b.args("cat", "/proc/self/environ");
        String out = runFg(b).assertOk().out();
        List<String> env = Arrays.stream(out.split("\0")).sorted().toList();
        assertEquals(List.of("HOME=/root", "IT_VAR=1", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "TERM=xterm"), env);
    }

    @Test
    void capabilitiesAndNoNewPrivileges() {
        Bundle b = newBundle();
        ObjectNode caps = b.process().putObject("capabilities");
        for (String set : List.of("bounding", "effective", "permitted")) {
            caps.putArray(set).add("CAP_NET_BIND_SERVICE");
        }
        caps.putArray("inheritable");
        caps.putArray("ambient");
        b.process().put("noNewPrivileges", true);
        // Read the status of the container's process itself (no shell in between: exec keeps it PID 1).
        b.args("cat", "/proc/self/status");
        String status = runFg(b).assertOk().out();

        // 0x400 = 1 << CAP_NET_BIND_SERVICE(10). assertAll: report every wrong field at once.
        assertAll(status,
                () -> assertEquals("0000000000000400", statusField(status, "CapEff"), "CapEff"),
                () -> assertEquals("0000000000000400", statusField(status, "CapPrm"), "CapPrm"),
                () -> assertEquals("0000000000000400", statusField(status, "CapBnd"), "CapBnd"),
                () -> assertEquals("0000000000000000", statusField(status, "CapInh"), "CapInh"),
                () -> assertEquals("0000000000000000", statusField(status, "CapAmb"), "CapAmb"),
                () -> assertEquals("1", statusField(status, "NoNewPrivs"), "NoNewPrivs"));
    }

    @Test
    void processStartsWithAnEmptySignalMaskAndDefaultDispositions() {
        // The init is a JVM, which blocks and ignores signals for its own use; none of that may
        // reach the container's process (a blocked SIGQUIT/ignored signal changes its behaviour).
        Bundle b = newBundle();
        b.args("cat", "/proc/self/status");
        String status = runFg(b).assertOk().out();
        assertAll(status,
                () -> assertEquals("0000000000000000", statusField(status, "SigBlk"), "SigBlk"),
                () -> assertEquals("0000000000000000", statusField(status, "SigIgn"), "SigIgn"),
                () -> assertEquals("0000000000000000", statusField(status, "SigPnd"), "SigPnd"));
    }

    @Test
    void defaultSpecCapabilitiesAreKept() {
        // runc's default spec: AUDIT_WRITE(29), KILL(5), NET_BIND_SERVICE(10) in bounding/effective/permitted.
        Bundle b = newBundle();
        b.args("cat", "/proc/self/status");
        String status = runFg(b).assertOk().out();
        String expected = String.format("%016x", (1L << 29) | (1L << 5) | (1L << 10));
        assertEquals(expected, statusField(status, "CapBnd"), status);
        assertEquals(expected, statusField(status, "CapPrm"), status);
        assertEquals(expected, statusField(status, "CapEff"), status);
    }

    @Test
    void missingExecutableFailsCreateAndRunAndLeavesNothing() {
        Bundle b = newBundle();
        b.args("/no/such/program", "arg");
        b.save();
        String id = newId();
        jrun.call("create", "--bundle", b.dir.toString(), id).assertError("/no/such/program");
        jrun.call("state", id).assertError("container does not exist");

        b.args("no-such-program-in-path");
        Jrun.Result r = runFg(b).assertError("no-such-program-in-path");
        assertFalse(r.err().contains("\tat dev.jrun"), "no Java stack trace for a user error: " + r);

        b.args("/etc/passwd"); // exists, but is not executable
        runFg(b).assertError("/etc/passwd");
        // the cleanup then asserts that no state, cgroup, mount or process is left
    }

    private static String statusField(String status, String key) {
        return status.lines().filter(l -> l.startsWith(key + ":")).map(l -> l.substring(key.length() + 1).trim())
                .findFirst().orElseThrow(() -> new AssertionError("no " + key + " in /proc/self/status:\n" + status));
    }
}
