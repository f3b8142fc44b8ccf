package dev.jrun.cli.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jrun.cli.it.Bundles.Bundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Several jrun processes on one container id at once, as engines do: no corruption, one winner. */
class ConcurrencyTest extends ContainerTestSupport {

    @Test
    @Timeout(180) // five JVMs at once on a small machine
    void parallelCreatesOfOneIdHaveExactlyOneWinner() {
        Bundle b = newBundle(); // one bundle: the losers must not touch the winner's cgroup either
        b.args("sleep", "30");
        b.save();
        String id = newId();
        List<Jrun.Started> creates = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            creates.add(jrun.startCall("create", "--bundle", b.dir.toString(), "--pid-file",
                    tmp.resolve("pid-" + i).toString(), id));
        }
        List<Jrun.Result> results = new ArrayList<>();
        for (Jrun.Started s : creates) results.add(s.await(Duration.ofSeconds(90)));

        List<Jrun.Result> winners = results.stream().filter(Jrun.Result::ok).toList();
        assertEquals(1, winners.size(), "exactly one create succeeds: " + results);
        for (Jrun.Result r : results) {
            if (!r.ok()) r.assertError("container with given ID already exists");
        }

        // The winner's container is whole: created, init alive, cgroup present, and it starts.
        int winner = results.indexOf(winners.get(0));
        long pid = Long.parseLong(Host.read(tmp.resolve("pid-" + winner)).trim());
        track(pid);
        JsonNode s = state(id);
        assertEquals("created", s.path("status").asText(), s.toString());
        assertEquals(pid, s.path("pid").asLong());
        assertTrue(Host.alive(pid), "winner's init alive");
        assertTrue(Files.isDirectory(Host.cgroupDir(b.cgroupsPath())), "winner's cgroup survived the losers");
        jrun.call("start", id).assertOk();
        assertEquals("running", state(id).path("status").asText());
    }

    @Test
    void parallelDeleteForceAndStateDoNotCorruptTheContainer() {
        Bundle b = newBundle();
        b.args("sleep", "30");
        Container c = runDetached(b);

        List<Jrun.Started> calls = new ArrayList<>();
        for (int i = 0; i < 2; i++) calls.add(jrun.startCall("delete", "--force", c.id()));
        for (int i = 0; i < 3; i++) calls.add(jrun.startCall("state", c.id()));
        for (Jrun.Started call : calls) {
            Jrun.Result r = call.await(Duration.ofSeconds(60));
            if (r.ok()) {
                if (r.command().contains("state")) {
                    String status = r.json().path("status").asText();
                    assertTrue(Set.of("running", "stopped").contains(status), "state during delete: " + r);
                }
            } else {
                // the only acceptable failure: the other delete won
                r.assertError("container does not exist");
                assertEquals(List.of("container does not exist"), r.errorMessages(), r.toString());
            }
        }
        jrun.call("state", c.id()).assertError("container does not exist");
        assertEquals("", jrun.call("list", "-q").assertOk().out().trim(), "no half-deleted container listed");
    }
}
