package dev.jrun.runtime.state;

import dev.jrun.runtime.JrunException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StateStoreTest {
    @TempDir
    Path tmp;

    private StateStore store() {
        return new StateStore(tmp.resolve("run/jrun"));
    }

    private static StoredState state(String id) {
        return new StoredState(id, 1234, 98765L, Status.CREATED, "/b", "/b/rootfs", "2024-01-01T00:00:00Z", "root",
                Map.of("k", "v"), "/sys/fs/cgroup", "/jrun/" + id, true, "{\"ociVersion\":\"1.3.0\"}");
    }

    @Test
    void createNewTwiceFailsLikeRunc() {
        StateStore s = store();
        try (StateStore.Locked l = s.createNew("c1")) {
            assertEquals("c1", l.id());
            assertTrue(Files.isDirectory(l.dir()));
            assertEquals(s.root().resolve("c1"), l.dir());
        }
        JrunException e = assertThrows(JrunException.class, () -> s.createNew("c1"));
        assertEquals("container with given ID already exists", e.getMessage());
    }

    @Test
    void openOfUnknownIdFailsLikeRunc() {
        JrunException e = assertThrows(JrunException.class, () -> store().open("nope"));
        assertEquals("container does not exist", e.getMessage());
    }

    @Test
    void invalidIdsAreRejected() {
        StateStore s = store();
        for (String id : new String[] {"../x", "a/b", "..", ".", "a b", "x\ny", "x\n", "/abs", "a".repeat(1025)}) {
            JrunException e = assertThrows(JrunException.class, () -> s.createNew(id), id);
            assertEquals("invalid id format: " + id, e.getMessage());
            assertThrows(JrunException.class, () -> s.open(id), id);
        }
        assertEquals("container id cannot be empty", assertThrows(JrunException.class, () -> s.createNew("")).getMessage());
        assertThrows(JrunException.class, () -> StateStore.validateId(null));
        assertFalse(Files.exists(tmp.resolve("run/x")), "../x made nothing outside the store");
    }

    @Test
    void validIdsOfRuncsAlphabet() {
        for (String id : new String[] {"a", "A-b_c.d+e", "0123", "..a", "a".repeat(1024)}) {
            StateStore.validateId(id);
        }
    }

    @Test
    void writeThenReadRoundTrips() {
        StateStore s = store();
        StoredState st = state("c1");
        try (StateStore.Locked l = s.createNew("c1")) {
            assertEquals(Optional.empty(), l.read(), "nothing written yet");
            l.write(st);
            assertEquals(Optional.of(st), l.read());
            l.write(st.withPhase(Status.RUNNING));
        }
        try (StateStore.Locked l = s.open("c1")) {
            assertEquals(Status.RUNNING, l.read().orElseThrow().phase());
        }
        assertEquals(Optional.of(st.withPhase(Status.RUNNING)), s.peek("c1"));
        assertFalse(Files.exists(s.dir("c1").resolve("state.json.tmp")), "temp file renamed away");
    }

    @Test
    void garbledOrMissingStateReadsAsEmpty() throws Exception {
        StateStore s = store();
        try (StateStore.Locked l = s.createNew("c1")) {
            Files.writeString(l.dir().resolve("state.json"), "{\"id\": \"c1\", \"pid\": ");
            assertEquals(Optional.empty(), l.read());
        }
        assertEquals(Optional.empty(), s.peek("missing"));
    }

    @Test
    void idsAreSortedAndSkipStrangeEntries() throws Exception {
        StateStore s = store();
        assertEquals(List.of(), s.ids(), "no root directory yet");
        for (String id : new String[] {"b", "a", "c2", "c10"}) s.createNew(id).close();
        Files.createDirectory(s.root().resolve("has space"));
        Files.writeString(s.root().resolve("plainfile"), "x");
        assertEquals(List.of("a", "b", "c10", "c2"), s.ids());
    }

    @Test
    void removeAllRemovesTheFolder() {
        StateStore s = store();
        try (StateStore.Locked l = s.createNew("c1")) {
            l.write(state("c1"));
            l.removeAll();
            assertFalse(Files.exists(l.dir()));
        }
        assertEquals(List.of(), s.ids());
        assertEquals("container does not exist", assertThrows(JrunException.class, () -> s.open("c1")).getMessage());
        s.createNew("c1").close(); // the id is free again
    }

    @Test
    void newContainerFolderIsNotWorldReadable() throws Exception {
        StateStore s = store();
        s.createNew("c1").close();
        String perms = java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(s.dir("c1")));
        assertEquals("rwx", perms.substring(0, 3), perms);
        assertEquals('-', perms.charAt(3), "group cannot list: " + perms);
        assertEquals('-', perms.charAt(6), "others cannot list: " + perms);
    }

    @Test
    void stateFileIsReadableByRootOnly() throws Exception {
        // state.json holds the whole config, environment secrets included (runc writes it 0600)
        try (StateStore.Locked lock = store().createNew("secret")) {
            lock.write(state("secret"));
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    java.nio.file.Files.getPosixFilePermissions(lock.dir().resolve("state.json"))));
            lock.removeAll();
        }
    }
}
