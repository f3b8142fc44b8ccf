package dev.jrun.runtime.init;

import dev.jrun.linux.Libc;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MountOptionsTest {

    @Test
    void securityFlags() {
        MountOptions o = MountOptions.parse(List.of("ro", "nosuid", "nodev", "noexec"));
        assertEquals(Libc.MS_RDONLY | Libc.MS_NOSUID | Libc.MS_NODEV | Libc.MS_NOEXEC, o.flags());
        assertEquals(0, o.clearFlags());
        assertEquals("", o.data());
        assertFalse(o.bind());
        assertTrue(o.propagation().isEmpty());
    }

    @Test
    void laterOptionWins() {
        MountOptions rw = MountOptions.parse(List.of("ro", "rw"));
        assertEquals(0, rw.flags() & Libc.MS_RDONLY, "rw after ro clears ro");
        assertEquals(Libc.MS_RDONLY, rw.clearFlags() & Libc.MS_RDONLY);
        MountOptions ro = MountOptions.parse(List.of("rw", "ro"));
        assertEquals(Libc.MS_RDONLY, ro.flags() & Libc.MS_RDONLY);
        assertEquals(0, ro.clearFlags() & Libc.MS_RDONLY);
        MountOptions suid = MountOptions.parse(List.of("nosuid", "suid", "exec", "dev"));
        assertEquals(0, suid.flags());
        assertEquals(Libc.MS_NOSUID | Libc.MS_NOEXEC | Libc.MS_NODEV, suid.clearFlags());
    }

    @Test
    void bindIsNotRecursiveRbindIs() {
        MountOptions bind = MountOptions.parse(List.of("bind"));
        assertTrue(bind.bind());
        assertFalse(bind.recursive());
        assertEquals(Libc.MS_BIND, bind.flags());
        MountOptions rbind = MountOptions.parse(List.of("rbind", "ro"));
        assertTrue(rbind.bind());
        assertTrue(rbind.recursive());
        assertEquals(Libc.MS_BIND | Libc.MS_REC | Libc.MS_RDONLY, rbind.flags());
        assertEquals(Libc.MS_RDONLY, rbind.remountFlags(), "the remount repeats ro but not bind/rec");
    }

    @Test
    void propagationOptionsAreCollectedInOrder() {
        MountOptions o = MountOptions.parse(List.of("rprivate", "nosuid", "shared", "runbindable", "slave"));
        assertEquals(List.of(Libc.MS_PRIVATE | Libc.MS_REC, Libc.MS_SHARED, Libc.MS_UNBINDABLE | Libc.MS_REC,
                Libc.MS_SLAVE), o.propagation());
        assertEquals(Libc.MS_NOSUID, o.flags(), "propagation is not mixed into the mount flags");
    }

    @Test
    void unknownOptionsBecomeFilesystemData() {
        MountOptions o = MountOptions.parse(List.of("nosuid", "size=64k", "strictatime", "mode=755", "newinstance"));
        assertEquals("size=64k,mode=755,newinstance", o.data());
        assertEquals(Libc.MS_NOSUID | Libc.MS_STRICTATIME, o.flags());
    }

    @Test
    void atimeFamily() {
        MountOptions o = MountOptions.parse(List.of("noatime", "nodiratime", "relatime", "norelatime"));
        assertEquals(Libc.MS_NOATIME | Libc.MS_NODIRATIME, o.flags());
        assertEquals(Libc.MS_RELATIME, o.clearFlags());
    }

    @Test
    void idmapIsRejected() {
        for (String opt : new String[] {"idmap", "ridmap"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> MountOptions.parse(List.of("bind", opt)));
            assertTrue(e.getMessage().contains("\"" + opt + "\""), e.getMessage());
        }
    }

    @Test
    void nullAndEmptyOptions() {
        for (List<String> none : new java.util.ArrayList<List<String>>(java.util.Arrays.asList(null, List.of()))) {
            MountOptions o = MountOptions.parse(none);
            assertEquals(0, o.flags());
            assertEquals(0, o.clearFlags());
            assertEquals("", o.data());
            assertFalse(o.bind());
        }
    }

    @Test
    void knownListsFlagAndPropagationNamesSorted() {
        List<String> known = MountOptions.known();
        assertTrue(known.containsAll(List.of("ro", "rw", "bind", "rbind", "nosuid", "rprivate", "rslave")));
        assertFalse(known.contains("size=64k"));
        assertEquals(known.stream().sorted().toList(), known);
    }
}
