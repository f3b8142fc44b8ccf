package dev.jrun.linux;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LinuxExceptionTest {

    @Test
    void messageNamesCallDetailAndErrno() {
        LinuxException e = new LinuxException("mount", Errno.EPERM, "proc on /x type proc");
        assertEquals("mount(proc on /x type proc): EPERM (Operation not permitted)", e.getMessage());
        assertEquals("mount", e.call());
        assertEquals(Errno.EPERM, e.errno());
        assertTrue(e.is(Errno.EPERM));
        assertFalse(e.is(Errno.ENOENT));
    }

    @Test
    void emptyOrNullDetailLeavesOutTheParentheses() {
        assertEquals("pipe2: EMFILE (Too many open files)", new LinuxException("pipe2", Errno.EMFILE, "").getMessage());
        assertEquals("setsid: EPERM (Operation not permitted)", new LinuxException("setsid", Errno.EPERM, null).getMessage());
    }

    @Test
    void unknownErrnoStillGivesAReadableMessage() {
        assertEquals("ioctl(fd 3): errno 777 (unknown error)", new LinuxException("ioctl", 777, "fd 3").getMessage());
    }
}
