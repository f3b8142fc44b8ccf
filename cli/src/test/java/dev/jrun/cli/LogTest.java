package dev.jrun.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jrun.runtime.json.JsonWriter;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LogTest {

    @Test
    void textQuoteEscapesLikeGoStrconvQuote() {
        assertEquals("\"plain\"", Log.quote("plain"));
        assertEquals("\"say \\\"hi\\\"\"", Log.quote("say \"hi\""));
        assertEquals("\"C:\\\\dir\"", Log.quote("C:\\dir"));
        assertEquals("\"a\\nb\\rc\\td\"", Log.quote("a\nb\rc\td"));
        assertEquals("\"\\x01\\x1f\\x7f\"", Log.quote("\u0001\u001f\u007f"));
        assertEquals("\"\"", Log.quote(""));
        assertEquals("\"caf\u00e9 <a&b>\"", Log.quote("caf\u00e9 <a&b>"), "non-ASCII and HTML characters are kept");
    }

    @Test
    void jsonLogMessagesParseBackExactly() throws Exception {
        String nasty = "container \"x\" failed:\n\tpath C:\\y \u0000\u0007\u001b[31m <end> & more";
        assertEquals(nasty, new ObjectMapper().readValue(JsonWriter.quote(nasty), String.class));
    }
}
