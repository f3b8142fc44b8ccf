package dev.jrun.image.progress;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @Test
    void plainOutputIsOneLinePerBlobEnd() {
        Progress p = Progress.forStream(out, false);
        Progress.Task a = p.start("aaaaaaaaaaaa", 3 << 20);
        Progress.Task b = p.start("bbbbbbbbbbbb", 10);
        b.skipped();
        a.advance(1 << 20);
        a.restart();
        a.advance(3 << 20);
        a.done();
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertEquals("""
                Blob sha256:bbbbbbbbbbbb already stored
                Retrying blob sha256:aaaaaaaaaaaa after 1.0 MiB
                Copied blob sha256:aaaaaaaaaaaa (3.0 MiB)
                """, text);
        assertFalse(text.contains("\033"), "no escape sequences outside a terminal");
    }

    @Test
    void aTerminalGetsABarPerBlobRedrawnInPlace() {
        Progress p = Progress.forStream(out, true);
        Progress.Task a = p.start("aaaaaaaaaaaa", 100);
        Progress.Task b = p.start("bbbbbbbbbbbb", 100);
        a.advance(50);
        b.done();
        a.done();
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("\033[2A"), "moves up over the two bars to redraw them: " + text);
        String last = text.substring(text.lastIndexOf("\033[2A"));
        assertTrue(last.contains("sha256:aaaaaaaaaaaa [" + "=".repeat(15)), "half-way bar kept its bytes: " + last);
        assertTrue(last.contains("50 B / 100 B done"), last);
    }

    @Test
    void sizesReadLikePodmans() {
        assertEquals("512 B", Bytes.human(512));
        assertEquals("1.5 KiB", Bytes.human(1536));
        assertEquals("2.0 GiB", Bytes.human(2L << 30));
    }
}
