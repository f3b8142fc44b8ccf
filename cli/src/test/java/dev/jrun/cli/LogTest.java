package dev.jrun.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LogTest {

    @Test
    void quoteEscapesLikeJson() {
        assertEquals("\"plain\"", Log.quote("plain"));
        assertEquals("\"say \\\"hi\\\"\"", Log.quote("say \"hi\""));
        assertEquals("\"C:\\\\dir\"", Log.quote("C:\\dir"));
        assertEquals("\"a\\nb\\rc\\td\"", Log.quote("a\nb\rc\td"));
        assertEquals("\"\\u0001\\u001f\"", Log.quote("\u0001\u001f"));
        assertEquals("\"\"", Log.quote(""));
        assertEquals("\"caf\u00e9 \ud83d\ude00\"", Log.quote("caf\u00e9 \ud83d\ude00"), "non-ASCII is kept as is");
    }

    @Test
    void quotedTextParsesBackAsJson() throws Exception {
        String nasty = "container \"x\" failed:\n\tpath C:\\y \u0000\u0007\u001b[31m end";
        assertEquals(nasty, new ObjectMapper().readValue(Log.quote(nasty), String.class));
    }
}
