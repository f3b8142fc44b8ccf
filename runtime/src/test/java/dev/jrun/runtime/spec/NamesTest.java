package dev.jrun.runtime.spec;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NamesTest {

    @Test
    void capabilityNumbersMatchKernelHeaders() {
        assertEquals(41, CapabilityNames.all().size());
        assertEquals(0, CapabilityNames.number("CAP_CHOWN"));
        assertEquals(5, CapabilityNames.number("CAP_KILL"));
        assertEquals(10, CapabilityNames.number("CAP_NET_BIND_SERVICE"));
        assertEquals(21, CapabilityNames.number("CAP_SYS_ADMIN"));
        assertEquals(29, CapabilityNames.number("CAP_AUDIT_WRITE"));
        assertEquals(31, CapabilityNames.number("CAP_SETFCAP"));
        assertEquals(37, CapabilityNames.number("CAP_AUDIT_READ"));
        assertEquals(38, CapabilityNames.number("CAP_PERFMON"));
        assertEquals(39, CapabilityNames.number("CAP_BPF"));
        assertEquals(40, CapabilityNames.number("CAP_CHECKPOINT_RESTORE"));
        assertEquals(CapabilityNames.LAST, CapabilityNames.number("CAP_CHECKPOINT_RESTORE"));
        assertEquals("CAP_MKNOD", CapabilityNames.name(27));
        for (int i = 0; i <= CapabilityNames.LAST; i++) {
            assertEquals(i, CapabilityNames.number(CapabilityNames.name(i)));
        }
    }

    @Test
    void unknownCapability() {
        assertFalse(CapabilityNames.isKnown("CAP_FOO"));
        assertFalse(CapabilityNames.isKnown("cap_kill"));
        assertFalse(CapabilityNames.isKnown(null));
        assertTrue(CapabilityNames.isKnown("CAP_KILL"));
        assertThrows(IllegalArgumentException.class, () -> CapabilityNames.number("KILL"));
    }

    @Test
    void rlimitNumbersMatchKernelHeaders() {
        String[] expected = {"RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK", "RLIMIT_CORE", "RLIMIT_RSS",
                "RLIMIT_NPROC", "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS", "RLIMIT_LOCKS", "RLIMIT_SIGPENDING",
                "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME"};
        assertEquals(16, RlimitNames.all().size());
        for (int i = 0; i < expected.length; i++) {
            assertEquals(i, RlimitNames.number(expected[i]), expected[i]);
        }
        assertThrows(IllegalArgumentException.class, () -> RlimitNames.number("NOFILE"));
        assertFalse(RlimitNames.isKnown("RLIMIT_FOO"));
    }

    @Test
    void pathRules() {
        assertEquals("/etc/shadow", PathRules.cleanAbsolute("/dev/../etc/shadow"));
        assertEquals("/dev/x", PathRules.cleanAbsolute("/../dev//./x/"));
        assertTrue(PathRules.escapes("../x"));
        assertTrue(PathRules.escapes("a/../../x"));
        assertFalse(PathRules.escapes("/a/../b"));
        assertFalse(PathRules.escapes("a..b/c"));
    }
}
