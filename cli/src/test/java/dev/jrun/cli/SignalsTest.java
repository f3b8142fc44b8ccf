package dev.jrun.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SignalsTest {

    @Test
    void namesInEverySpelling() {
        assertEquals(9, Signals.parse("KILL"));
        assertEquals(9, Signals.parse("SIGKILL"));
        assertEquals(9, Signals.parse("kill"));
        assertEquals(9, Signals.parse("sigkill"));
        assertEquals(15, Signals.parse("TERM"));
        assertEquals(1, Signals.parse("HUP"));
        assertEquals(10, Signals.parse("USR1"));
        assertEquals(12, Signals.parse("SIGUSR2"));
        assertEquals(17, Signals.parse("CHLD"));
        assertEquals(19, Signals.parse("STOP"));
        assertEquals(28, Signals.parse("WINCH"));
        assertEquals(6, Signals.parse("IOT"));
    }

    @Test
    void numbers() {
        assertEquals(9, Signals.parse("9"));
        assertEquals(1, Signals.parse("1"));
        assertEquals(64, Signals.parse("64"));
    }

    @Test
    void realtimeSignalsUseGlibcNumbering() {
        // glibc's SIGRTMIN is 34 (the kernel's 32 and 33 are taken by NPTL); SIGRTMAX is 64.
        assertEquals(35, Signals.parse("RTMIN+1"));
        assertEquals(35, Signals.parse("SIGRTMIN+1"));
        assertEquals(34, Signals.parse("rtmin+0"));
        assertEquals(63, Signals.parse("RTMAX-1"));
        assertEquals(64, Signals.parse("SIGRTMAX-0"));
    }

    @Test
    void unknownSignalsAreRejected() {
        for (String s : new String[] {"FOO", "SIGFOO", "0", "65", "-9", "", "RTMIN+31", "RTMAX-31", "SIG"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Signals.parse(s), s);
            assertEquals("unknown signal \"" + s + "\"", e.getMessage());
        }
    }

    @Test
    void garbageAfterRtminIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Signals.parse("RTMIN+x"));
        assertEquals("unknown signal \"RTMIN+x\"", e.getMessage());
    }
}
