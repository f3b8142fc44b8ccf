package dev.jrun.linux;

import org.junit.jupiter.api.Test;

import java.io.FileInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class CredsTest {
    private static final int CAP_SYS_ADMIN = 21;

    @Test
    void lastCapEqualsTheSysctl() throws Exception {
        // One big read: sysctl files return nothing at a non-zero offset.
        byte[] buf = new byte[64];
        int n;
        try (FileInputStream in = new FileInputStream("/proc/sys/kernel/cap_last_cap")) {
            n = in.read(buf);
        }
        int expected = Integer.parseInt(new String(buf, 0, n, StandardCharsets.US_ASCII).trim());
        assertEquals(expected, Creds.lastCap());
        assertTrue(Creds.lastCap() >= 37, "any kernel since 5.8 knows CAP_CHECKPOINT_RESTORE (40)");
    }

    @Test
    void capgetMatchesProcStatusOfThisThread() throws Exception {
        Creds.CapSets caps = Creds.capget(0);
        String status = Files.readString(Path.of("/proc/thread-self/status"));
        assertEquals(hexField(status, "CapEff"), caps.effective(), "effective");
        assertEquals(hexField(status, "CapPrm"), caps.permitted(), "permitted");
        assertEquals(hexField(status, "CapInh"), caps.inheritable(), "inheritable");
    }

    @Test
    void rootHasCapSysAdmin() throws Exception {
        assumeTrue(Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid")), "needs root");
        long eff = Creds.capget(0).effective();
        assertEquals(1L << CAP_SYS_ADMIN, eff & (1L << CAP_SYS_ADMIN), "CAP_SYS_ADMIN in " + Long.toHexString(eff));
    }

    @Test
    void capgetOfAnotherThreadByTid() throws Exception {
        int tid = Creds.gettid();
        assertEquals(Creds.capget(0), Creds.capget(tid));
    }

    @Test
    void gettidIsTheKernelThreadId() throws Exception {
        // /proc/thread-self -> "PID/task/TID"
        String link = Files.readSymbolicLink(Path.of("/proc/thread-self")).toString();
        assertEquals(link.substring(link.lastIndexOf('/') + 1), Integer.toString(Creds.gettid()));
        assertTrue(link.startsWith(Libc.getpid() + "/task/"), link);
    }

    private static long hexField(String status, String key) {
        for (String l : status.split("\n")) {
            if (l.startsWith(key + ":")) return Long.parseUnsignedLong(l.substring(key.length() + 1).trim(), 16);
        }
        throw new AssertionError(key + " not in /proc/thread-self/status");
    }
}
