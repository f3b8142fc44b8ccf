package dev.jrun.cli.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The cgroup v2 limits need a kernel whose cgroup2 hierarchy has the controllers (this host
 * binds them to v1): the scenarios run in the test VM (test-vm/run), with jrun and the busybox
 * bundle taken from the host's filesystem over 9p. -Djrun.vm.skip=true skips them.
 */
class VmCgroupTest {
    private static final List<String> SCENARIOS = List.of("memory-4MiB-starts", "oom-killed-and-reported",
            "pids-limit-holds", "cpu-max-throttles", "io-max-applied", "update-live", "stats-from-v2-files", "device-denied",
            "bad-value-refused", "unknown-unified-key-refused");

    @Test
    @Timeout(value = 16, unit = TimeUnit.MINUTES)
    void cgroupV2LimitsHoldInARealCgroupV2Kernel() throws Exception {
        assumeFalse(Boolean.getBoolean("jrun.it.skip") || Boolean.getBoolean("jrun.vm.skip"), "VM tests skipped");
        assumeTrue(Host.isRoot(), "the VM tier needs root");
        Path repo = Jrun.executable().getParent();
        Path vm = repo.resolve("test-vm/run");
        assumeTrue(Files.isExecutable(vm), "no test-vm/run");
        Path base = Bundles.base();
        Path script = Path.of(VmCgroupTest.class.getResource("/vm/cgroup-scenarios.sh").toURI());
        Path out = Files.createTempFile("jrun-vm-", ".log");
        try {
            Process p = new ProcessBuilder(vm.toString(), "sh", script.toString(), repo.toString(), base.toString())
                    .directory(repo.toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(15, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                p.waitFor();
            }
            String log = Files.readString(out, StandardCharsets.UTF_8);
            System.out.println(log);
            for (String s : SCENARIOS) {
                assertTrue(log.contains("PASS " + s), "scenario " + s + " did not pass in the VM:\n" + log);
            }
            assertEquals(0, p.exitValue(), log);
        } finally {
            Files.deleteIfExists(out);
        }
    }

}
