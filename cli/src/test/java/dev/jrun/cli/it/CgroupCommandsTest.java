package dev.jrun.cli.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jrun.cli.it.Bundles.Bundle;
import dev.jrun.runtime.spec.ConfigLoader;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * pause/resume, update, events, kill --all and delete --force through the cgroup on this host
 * (hybrid: the v2 hierarchy has cgroup.freeze/kill/events and hugetlb, no memory/cpu/pids).
 */
class CgroupCommandsTest extends ContainerTestSupport {

    private Container busyLoop() {
        Bundle b = newBundle();
        b.sh("i=0; while true; do i=$((i+1)); done");
        return runDetached(b);
    }

    private long cpuNanos(String id) throws Exception {
        String out = jrun.call("events", "--stats", id).assertOk().out();
        JsonNode e = ConfigLoader.mapper().readTree(out);
        assertEquals("stats", e.path("type").asText(), out);
        assertEquals(id, e.path("id").asText(), out);
        return e.path("data").path("cpu").path("usage").path("total").asLong();
    }

    @Test
    void pauseFreezesAndResumeThaws() throws Exception {
        Container c = busyLoop();
        jrun.call("pause", c.id()).assertOk();
        assertEquals("paused", state(c.id()).path("status").asText());
        long a = cpuNanos(c.id());
        Host.sleep(400);
        long b = cpuNanos(c.id());
        assertEquals(a, b, "a frozen container uses no CPU");
        jrun.call("pause", c.id()).assertError("already paused");
        jrun.call("resume", c.id()).assertOk();
        assertEquals("running", state(c.id()).path("status").asText());
        Host.sleep(400);
        assertTrue(cpuNanos(c.id()) > b, "a thawed container runs again");
        jrun.call("resume", c.id()).assertError("container not paused");
    }

    @Test
    void deleteForceEndsAPausedContainer() {
        Container c = busyLoop();
        jrun.call("pause", c.id()).assertOk();
        jrun.call("delete", c.id()).assertError("that is not stopped: paused");
        jrun.call("delete", "--force", c.id()).assertOk();
        jrun.call("state", c.id()).assertError("container does not exist");
    }

    @Test
    void killAllReachesFrozenProcessesToo() {
        Container c = busyLoop();
        jrun.call("pause", c.id()).assertOk();
        jrun.call("kill", "--all", c.id(), "KILL").assertOk();
        awaitStatus(c.id(), "stopped", Duration.ofSeconds(10));
    }

    @Test
    void updateAppliesWhatTheHostCanEnforceAndNamesWhatItCannot() throws Exception {
        Container c = busyLoop();
        String cg = state(c.id()).path("id").asText(); // id only used for the message below
        jrun.call("update", "--pids-limit", "10", c.id())
                .assertError("the pids controller is not available in the cgroup v2 hierarchy");
        Path controllers = Path.of("/sys/fs/cgroup/unified/cgroup.controllers");
        assumeTrue(Files.exists(controllers) && Files.readString(controllers).contains("hugetlb"), "no hugetlb in v2");
        Path resources = tmp.resolve("resources.json");
        Files.writeString(resources, "{\"hugepageLimits\":[{\"pageSize\":\"2MB\",\"limit\":4194304}]}");
        jrun.call("update", "--resources", resources.toString(), c.id()).assertOk();
        JsonNode stats = ConfigLoader.mapper().readTree(jrun.call("events", "--stats", c.id()).assertOk().out());
        assertEquals(4194304L, stats.path("data").path("hugetlb").path("2MB").path("max").asLong(), cg + ": " + stats);
    }

    @Test
    void aLimitTheHostCannotEnforceFailsCreateAndLeavesNoCgroup() {
        Bundle b = newBundle();
        b.linux().withObject("/resources").withObject("/memory").put("limit", 8 * 1024 * 1024);
        b.save();
        jrun.call("create", "--bundle", b.dir.toString(), newId())
                .assertError("$.linux.resources.memory.limit", "memory controller is not available");
        // the leak check after the test asserts the container's cgroup and state are gone
    }

    @Test
    void aCgroupPathThatEscapesTheHierarchyIsRefused() {
        Bundle b = newBundle();
        b.linux().put("cgroupsPath", CGROUP_PARENT + "/../../jrun-escape");
        b.save();
        jrun.call("create", "--bundle", b.dir.toString(), newId()).assertError("cgroupsPath");
        assertTrue(!Files.exists(Path.of("/sys/fs/cgroup/unified/jrun-escape")), "no cgroup made outside");
    }
}
