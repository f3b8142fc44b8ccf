package dev.jrun.cli.it;

import dev.jrun.cli.it.Bundles.Bundle;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Operations that the state machine refuses, with runc's exit status (1) and messages. */
class InvalidTransitionsTest extends ContainerTestSupport {

    @Test
    void refusedTransitionsFollowRunc() {
        Bundle b = newBundle();
        b.args("sleep", "30");
        Container c = create(b);

        // a second create with the same id fails and leaves the first container intact
        jrun.call("create", "--bundle", b.dir.toString(), c.id()).assertError("container with given ID already exists");
        assertEquals("created", state(c.id()).path("status").asText());
        assertTrue(Host.alive(c.pid()), "the existing container's init survives the refused create");

        jrun.call("start", c.id()).assertOk();
        jrun.call("start", c.id()).assertError("cannot start an already running container");
        jrun.call("kill", c.id(), "SIGNOPE").assertError("SIGNOPE");
        assertTrue(Host.alive(c.pid()), "an invalid signal kills nothing");

        jrun.call("delete", c.id()).assertError("cannot delete container " + c.id() + " that is not stopped: running");
        assertEquals("running", state(c.id()).path("status").asText(), "refused delete must not touch the container");
        assertTrue(Host.alive(c.pid()));

        jrun.call("kill", c.id(), "KILL").assertOk();
        awaitStatus(c.id(), "stopped", Duration.ofSeconds(10));
        jrun.call("kill", c.id(), "KILL").assertError("container not running");
        jrun.call("start", c.id()).assertError("cannot start a container that has stopped");

        jrun.call("delete", c.id()).assertOk();
    }

    @Test
    void unknownIdIsReportedByEveryCommand() {
        String id = "jit-never-created";
        jrun.call("state", id).assertError("container does not exist");
        jrun.call("start", id).assertError("container does not exist");
        jrun.call("kill", id).assertError("container does not exist");
        jrun.call("delete", id).assertError("container does not exist");
        jrun.call("ps", id).assertError("container does not exist");
        // runc: `delete --force` of a missing container is not an error (engines rely on it).
        jrun.call("delete", "--force", id).assertOk();
    }

    @Test
    void deleteOfACreatedContainerIsAllowedLikeRunc() {
        // runc's delete kills a container that was created but never started, without --force.
        Bundle b = newBundle();
        b.args("sleep", "30");
        Container c = create(b);
        jrun.call("delete", c.id()).assertOk();
        jrun.call("state", c.id()).assertError("container does not exist");
        assertFalse(Host.alive(c.pid()), "the init is gone");
    }

    @Test
    void idThatIsAPathIsRefused() {
        // The id names a directory under --root: "../x" must not create anything outside it.
        Bundle b = newBundle();
        b.save();
        String evil = "../jit-escape";
        Jrun.Result r = jrun.call("create", "--bundle", b.dir.toString(), evil);
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.errorText().contains("id"), "the error is about the id: " + r);
        assertFalse(Files.exists(jrun.root().resolveSibling("jit-escape")), "nothing created outside --root");
        assertNothingLeaked("create with an invalid id");
    }
}
